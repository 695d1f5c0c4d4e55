// Checks that every FROM of a Dockerfile names a pinned base image: a tag other than "latest",
// or a digest. ARGs declared before the first FROM are expanded to their defaults first, so
// `ARG RUNTIME_IMAGE=eclipse-temurin:21.0.8_9-jre-noble` + `FROM ${RUNTIME_IMAGE}` passes and
// `ARG RUNTIME_IMAGE=eclipse-temurin` does not. A FROM that names an earlier stage, or scratch,
// needs no tag.
//
// This stands in for dockerfilelint's missing_tag rule, which is off in .dockerfilelintrc
// because it does not expand ARGs and so flags every `FROM ${...}`.
//
// usage: node check-dockerfile-from.mjs <Dockerfile>...   (exit 1 when a FROM is not pinned)
import { readFileSync } from 'node:fs';

let problems = 0;

for (const file of process.argv.slice(2)) {
  // Join continuation lines, remembering where each instruction starts.
  const instructions = [];
  let current = null;
  readFileSync(file, 'utf8').split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (current === null) {
      if (/^\s*(#|$)/.test(line)) return;
      current = { line: index + 1, text: '' };
    } else if (/^\s*#/.test(line)) {
      return;
    }
    if (line.endsWith('\\')) {
      current.text += `${line.slice(0, -1)} `;
    } else {
      current.text += line;
      instructions.push(current);
      current = null;
    }
  });
  if (current !== null) instructions.push(current);

  const globalArgs = new Map();
  const stages = new Set();
  let seenFrom = false;
  for (const { line, text } of instructions) {
    const [keyword, ...rest] = text.trim().split(/\s+/);
    const instruction = keyword.toUpperCase();
    if (instruction === 'ARG' && !seenFrom) {
      for (const declaration of rest) {
        const [name, ...value] = declaration.split('=');
        globalArgs.set(name, value.join('=').replace(/^(["'])(.*)\1$/, '$2'));
      }
    }
    if (instruction !== 'FROM') continue;
    seenFrom = true;
    const words = rest.filter((word) => !word.startsWith('--'));
    const written = words[0] ?? '';
    const image = written.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
      (_match, name) => globalArgs.get(name) ?? '');
    const earlierStage = stages.has(image.toLowerCase());
    if (words.length >= 3 && words[1].toUpperCase() === 'AS') stages.add(words[2].toLowerCase());
    if (image === 'scratch' || earlierStage) continue;

    const lastSegment = image.split('/').pop();
    const tag = lastSegment.includes(':') ? lastSegment.split(':').pop() : '';
    let problem = null;
    if (image === '') problem = 'names no image (an ARG without a default?)';
    else if (image.includes('@sha256:')) problem = null;
    else if (tag === '') problem = 'has no tag';
    else if (tag === 'latest') problem = 'uses the tag "latest"';
    if (problem) {
      const shown = image === written ? image : `${written} (= ${image})`;
      console.log(`${file}:${line}: FROM ${shown} ${problem}; pin a version`);
      problems += 1;
    }
  }
}

process.exit(problems === 0 ? 0 : 1);
