// Writes a copy of a Compose file with its variables replaced by their defaults, as `docker
// compose` reads it when no variable is set: ${VAR:-x} and ${VAR-x} become x, ${VAR}, $VAR,
// ${VAR:?msg} and ${VAR:+x} become empty, $$ becomes $. Lines keep their numbers, so what a
// linter says of the copy points at the same line of the original.
//
// Why: linters read values literally. dclint's no-unbound-port-interfaces, for one, cannot tell
// that "${SCOREPIPE_API_BIND:-127.0.0.1}:8000:8000" binds 127.0.0.1, but it can in the copy.
//
// usage: node compose-defaults.mjs <compose file> <copy to write>
import { readFileSync, writeFileSync } from 'node:fs';

const [source, target] = process.argv.slice(2);
if (!source || !target) {
  console.error('usage: node compose-defaults.mjs <compose file> <copy to write>');
  process.exit(2);
}

const ESCAPED_DOLLAR = '\u0000';
let text = readFileSync(source, 'utf8').replaceAll('$$', ESCAPED_DOLLAR);

// Innermost ${...} first, so that a default may itself hold a variable: ${A:-${B:-x}}.
const braced = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^${}]*))?\}/g;
for (let previous = null; previous !== text; ) {
  previous = text;
  text = text.replace(braced, (_match, _name, operator, value) =>
    operator === '-' || operator === ':-' ? value : '');
}
text = text.replace(/\$[A-Za-z_][A-Za-z0-9_]*/g, '');

writeFileSync(target, text.replaceAll(ESCAPED_DOLLAR, '$'));
