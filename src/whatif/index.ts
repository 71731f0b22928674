export { explainCost, parameterCount } from './explain-cost.ts';
export type { ExplainedCost, PlanNode } from './explain-cost.ts';
export { HypopgEngine } from './hypopg-engine.ts';
export { SandboxEngine } from './sandbox-engine.ts';
export type { SandboxResult } from './sandbox-engine.ts';
export { SandboxWhatIf } from './sandbox-what-if.ts';
export type { WhatIfConfiguration, WhatIfCost, WhatIfCostOptions, WhatIfEngine } from './what-if-engine.ts';
