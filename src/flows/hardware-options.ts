import { parseStorage, validateHardware } from '../config/hardware.ts';
import type { Hardware } from '../config/hardware.ts';
import { parseSizeFlag } from '../config/units.ts';
import type { FlowInput } from './flow.ts';
import { numberOption, option } from './flow-input.ts';

/** The database machine's flags, shared by config, pool and pgbouncer so they read and check them one way. */
export const HARDWARE_OPTIONS = {
  ram: { type: 'string', valueName: 'SIZE', description: 'RAM of the database server, e.g. 32GB (a bare number is GB)' },
  cpus: { type: 'string', valueName: 'N', description: 'CPU cores (vCPUs) of the database server' },
  storage: { type: 'string', valueName: 'TYPE', description: 'ssd | hdd | nvme | san' },
} as const;

/** --ram, --cpus and --storage as given (null when absent), rejected with the reason when no server has them. */
export function hardwareOptions(input: FlowInput): Hardware {
  const ramRaw = option(input, 'ram');
  return validateHardware({
    ramBytes: ramRaw === undefined ? null : parseSizeFlag(ramRaw, 'ram'),
    cpus: numberOption(input, 'cpus', { integer: true }) ?? null,
    storage: parseStorage(option(input, 'storage')),
  });
}
