/** Table and model names as ORMs spell them by convention (users → User, order_items → OrderItem). */
export function bareName(qualified: string): string {
  const last = qualified.split('.').pop() ?? qualified;
  return last.replace(/^"|"$/g, '');
}

export function singular(word: string): string {
  if (/ies$/.test(word)) return word.replace(/ies$/, 'y');
  if (/(ss|x|ch|sh)es$/.test(word)) return word.replace(/es$/, '');
  if (/s$/.test(word) && !/ss$/.test(word)) return word.replace(/s$/, '');
  return word;
}

export function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return word.replace(/y$/, 'ies');
  if (/(s|x|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

export function pascal(word: string): string {
  return word
    .split(/[_\s-]+/)
    .filter((p) => p !== '')
    .map((p) => (p[0] ?? '').toUpperCase() + p.slice(1))
    .join('');
}

export function camel(word: string): string {
  const p = pascal(word);
  return (p[0] ?? '').toLowerCase() + p.slice(1);
}

export function modelName(table: string): string {
  return pascal(singular(bareName(table)));
}
