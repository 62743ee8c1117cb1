// Validates APL documents with Alexa's own validator, apl-suggester (npm, pinned in package.json).
//
//   node devtools/validate_apl.js < documents.json
//
// Input: {"name": document, ...}. Output: {"name": ["where: what", ...], ...}; a document with
// no problems maps to []. Everything the validator reports, at any level, is a problem. On top
// of StaticAplTemplateValidator.validate(), which passes some things silently offline, this
// refuses:
//   - any `import`: the validator cannot download a package offline and then passes the
//     document as if its layouts existed;
//   - a component type that is neither an APL primitive of the document's version nor one of
//     the document's own layouts (the validator takes unknown types for imported layouts);
//   - a command type that is neither standard nor one of the document's own commands;
//   - a bad command inside a component's handler (onPress, onMount...), which the validator
//     does not look into: each handler is checked again as a document-level onMount.
'use strict';

const { StaticAplTemplateValidator } = require('apl-suggester');
const { PrimitiveComponentJsonSchemaUtil } =
  require('apl-suggester/dist/src/util/PrimitiveComponentJsonSchemaUtil');
const { CommandSchemaValidator } = require('apl-suggester/dist/src/CommandSchemaValidator');

const HANDLERS = ['onPress', 'onMount', 'onDown', 'onUp', 'onFocus', 'onBlur', 'onCursorEnter',
  'onCursorExit', 'onScroll', 'onPageChanged', 'onChildrenChanged', 'onLayout'];
const CHILDREN = ['item', 'items', 'firstItem', 'lastItem'];
const NESTED_COMMANDS = ['commands', 'then', 'otherwise', 'finally', 'catch'];

function asList(value) {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function walkComponents(node, path, visit) {
  for (const [index, component] of asList(node).entries()) {
    if (!component || typeof component !== 'object') continue;
    const here = Array.isArray(node) ? `${path}/${index}` : path;
    visit(component, here);
    for (const key of CHILDREN) {
      if (component[key] !== undefined) walkComponents(component[key], `${here}/${key}`, visit);
    }
  }
}

function walkCommands(commands, path, visit) {
  for (const [index, command] of asList(commands).entries()) {
    if (!command || typeof command !== 'object') continue;
    const here = `${path}/${index}`;
    visit(command, here);
    for (const key of NESTED_COMMANDS) {
      if (command[key] !== undefined) walkCommands(command[key], `${here}/${key}`, visit);
    }
  }
}

function everyComponent(doc, visit) {
  walkComponents(doc.mainTemplate && doc.mainTemplate.items, '/mainTemplate/items', visit);
  walkComponents(doc.mainTemplate && doc.mainTemplate.item, '/mainTemplate/item', visit);
  for (const [name, layout] of Object.entries(doc.layouts || {})) {
    walkComponents(layout.items, `/layouts/${name}/items`, visit);
    walkComponents(layout.item, `/layouts/${name}/item`, visit);
  }
}

async function problems(validator, doc) {
  const found = [];
  if (doc.import !== undefined && asList(doc.import).length > 0) {
    found.push('/import: imports cannot be checked offline; use none');
  }
  for (const error of await validator.validate(doc)) {
    found.push(`${error.path}: ${error.errorMessage} (${error.level})`);
  }
  const primitives = new Set(PrimitiveComponentJsonSchemaUtil.getPrimitiveComponentTypes(doc.version));
  const layouts = new Set(Object.keys(doc.layouts || {}));
  const standard = new Set(Array.from(CommandSchemaValidator.COMMAND_TYPE_TO_JSON_SCHEMA.keys()));
  const ownCommands = new Set(Object.keys(doc.commands || {}));
  const handlers = [];
  everyComponent(doc, (component, path) => {
    if (!primitives.has(component.type) && !layouts.has(component.type)) {
      found.push(`${path}: unknown component type ${JSON.stringify(component.type)}`);
    }
    for (const key of HANDLERS) {
      if (component[key] !== undefined) handlers.push([`${path}/${key}`, component[key]]);
    }
  });
  const commandArrays = handlers.concat([['/onMount', doc.onMount]],
    Object.entries(doc.commands || {}).map(([name, c]) => [`/commands/${name}/commands`, c.commands]));
  for (const [path, commands] of commandArrays) {
    walkCommands(commands, path, (command, where) => {
      if (!standard.has(command.type) && !ownCommands.has(command.type)) {
        found.push(`${where}: unknown command type ${JSON.stringify(command.type)}`);
      }
    });
  }
  for (const [path, commands] of handlers) {
    const probe = { type: 'APL', version: doc.version, onMount: asList(commands),
      mainTemplate: { parameters: [], items: [] } };
    for (const error of await validator.validate(probe)) {
      found.push(`${path}${error.path.replace(/^\/onMount/, '')}: ${error.errorMessage} (${error.level})`);
    }
  }
  return found;
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const documents = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const validator = new StaticAplTemplateValidator();
  const report = {};
  // The validator logs chatter ("No mixin for component"); stdout carries only the report.
  const quiet = ['log', 'info', 'warn', 'error'].map((level) => [level, console[level]]);
  for (const [level] of quiet) console[level] = () => {};
  try {
    for (const [name, doc] of Object.entries(documents)) report[name] = await problems(validator, doc);
  } finally {
    for (const [level, write] of quiet) console[level] = write;
  }
  process.stdout.write(JSON.stringify(report));
}

main().catch((error) => { process.stderr.write(`${error.stack || error}\n`); process.exit(2); });
