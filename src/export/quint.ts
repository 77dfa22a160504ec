// A protocol as a Quint specification (issue 13, item 9): the same game as
// the simulator (docs/semantics.md sections 1 and 2, src/sim/step.ts) at one
// fixed instance, written so that `quint run` samples adversaries and
// Apalache can explore them all. A pure function from the IR to text.
//
// The translation, part by part:
// - parameters N, T and the run length R are constants; `faulty` (any set of
//   at most T processes: every f from 0 to T, section 1.1) and `inputs` are
//   chosen nondeterministically by `init`;
// - one action per round of the phase; `step` runs the round whose turn it
//   is and stutters after R rounds, so invariants are judged at boundaries
//   0..R exactly as the simulator judges them (section 2.4);
// - a correct receiver counts the correct broadcasts plus, per message type,
//   what each Byzantine sender chose to send it: nothing or one message with
//   any payload (section 1.6), two nondeterministic maps per type; a leader
//   message only from a Byzantine leader (section 1.5);
// - rules are an if/else chain (the first guard that holds fires), actions a
//   record update of the state before the rule (parallel assignment),
//   `decide` only while `decided` is None;
// - the claimed properties are invariants over the state; termination holds
//   once round >= R (section 2.3).
import { evalParamExpr, evalParamInt } from '../ir/eval';
import { DECIDED, type Action, type MessageDecl, type Protocol, type Round, type Type } from '../ir/types';
import { printExpr } from '../lang';
import { printAction } from '../lang/printer';
import { type ExprScope, messageOf, quintUnsupported, quintAs, quintDomain, quintExpr, quintName, quintType } from './quint-expr';

export interface QuintOptions {
  /** number of processes; the instance must be admissible (the caller checks). */
  n: number;
  /** fault bound. */
  t: number;
  /** the protocol's file, named in the header comment. */
  source?: string;
  /** the protocol's canonical hash, named in the header comment. */
  hash?: string;
  /** the module's name (default: the protocol's name). */
  moduleName?: string;
}

export { quintUnsupported };

/** The Quint invariant names of the claimed properties, in the order bftsynth lists them. */
export function quintInvariants(protocol: Protocol): string[] {
  const out: string[] = [];
  if (protocol.properties.agreement) out.push('agreement');
  if (protocol.properties.validity) out.push('validity');
  if (protocol.properties.termination !== null) out.push('termination');
  return out;
}

/** The text of a Quint module equivalent to `protocol` at the instance (n, t). Callers ask quintUnsupported first: a model it cannot describe is a bug here. */
export function protocolToQuint(protocol: Protocol, options: QuintOptions): string {
  const unsupported = quintUnsupported(protocol);
  if (unsupported !== null) throw new Error(`internal error: protocolToQuint called on a model it cannot describe: ${unsupported}`);
  const { n, t } = options;
  const rounds = evalParamInt(protocol.horizon, n, t);
  const field = (name: string): string => (name === DECIDED ? DECIDED : quintName(name));
  const moduleName = quintName(options.moduleName ?? protocol.name);
  const perPhase = protocol.rounds.length;
  const lines: string[] = [];
  const emit = (...more: string[]): void => {
    lines.push(...more);
  };

  emit(
    `// ${protocol.name} as a Quint specification, exported by bftsynth${options.source === undefined ? '' : ` from ${options.source}`}`,
    ...(options.hash === undefined ? [] : [`// (canonical hash ${options.hash}).`]),
    `// The game of bftsynth's docs/semantics.md (sections 1 and 2) at one instance: N = ${n}, T = ${t}`,
    `// (resilience ${printExpr(protocol.resilience)}: ${String(evalParamExpr(protocol.resilience, n, t))}), R = ${rounds} rounds (${printExpr(protocol.horizon)}).`,
    '// The Byzantine set (any size 0..T), the inputs and every Byzantine message are',
    '// nondeterministic: `quint run` samples them, a model checker covers them all.',
    `// Invariants: ${quintInvariants(protocol).join(', ') || '(no property claimed)'}; \`claims\` is all of them. Offline, e.g.:`,
    `//   quint run --backend typescript --invariant claims --max-steps ${rounds} FILE.qnt`,
    `module ${moduleName} {`,
    '  // ---- parameters',
    `  pure val N: int = ${n}`,
    `  pure val T: int = ${t}`,
    `  /// rounds of a run: ${protocol.properties.termination === null ? 'the horizon' : 'the termination bound'} ${printExpr(protocol.horizon)}`,
    `  pure val R: int = ${rounds}`,
    '  /// rounds per phase',
    `  pure val K: int = ${perPhase}`,
    '  pure val PROCS: Set[int] = 0.to(N - 1)',
    `  pure val VALUES: Set[int] = 0.to(${protocol.values - 1})`,
    '',
    '  type OptVal = None | Some(int)',
    '  pure val OPTVALUES: Set[OptVal] = VALUES.map(v => Some(v)).union(Set(None))',
    `  type Local = { ${[...protocol.vars.map((v) => `${field(v.name)}: ${quintType(v.type)}`), `${DECIDED}: OptVal`].join(', ')} }`,
    '',
    '  // ---- state',
    '  /// rounds completed: the state is the one at boundary `round`',
    '  var round: int',
    '  /// the Byzantine processes, chosen once (at most T)',
    '  var faulty: Set[int]',
    '  /// every process\'s input (a Byzantine process\'s is never read)',
    '  var inputs: int -> int',
    '  /// every process\'s local state (a Byzantine process\'s is never read)',
    '  var state: int -> Local',
  );
  for (const m of protocol.messages) {
    const shape = m.payload === null ? 'Set[int]' : `(int -> ${quintType(m.payload)})`;
    const what = m.payload === null ? 'the Byzantine senders of' : 'Byzantine sender -> payload of';
    emit(`  /// last round: correct receiver -> ${what} its ${m.name} messages (empty when the round sends no ${m.name})`, `  var ${byzVar(m)}: int -> ${shape}`);
  }
  emit(
    '',
    '  val correct: Set[int] = PROCS.exclude(faulty)',
    '  /// the phase of the next round (from 1) and its leader',
    '  val phase: int = round / K + 1',
    '  val leader: int = (phase - 1) % N',
    '',
    '  // ---- helpers',
    '  /// all messages of a type received, whatever their payload',
    '  pure def total(c: a -> int): int = c.keys().fold(0, (sum, p) => sum + c.get(p))',
    '  /// maj(M): the value with the highest count; ties to the smallest value',
    `  pure def majMin(c: int -> int): int = range(0, ${protocol.values}).foldl(0, (best, v) => if (c.get(v) > c.get(best)) v else best)`,
    '  /// maj(M, tie max): ties to the largest value',
    `  pure def majMax(c: int -> int): int = range(0, ${protocol.values}).foldl(${protocol.values - 1}, (best, k) => if (c.get(${protocol.values - 1} - k) > c.get(best)) ${protocol.values - 1} - k else best)`,
    '  /// decisions are irrevocable: a later decide is ignored',
    '  pure def decideOnce(s: Local, x: int): OptVal = if (s.decided == None) Some(x) else s.decided',
    `  pure def initial(input: int): Local = ${initialRecord(protocol, field)}`,
    '',
  );

  for (const [index, round] of protocol.rounds.entries()) emit(...roundText(protocol, round, index, field));

  const byzVars = protocol.messages.map(byzVar);
  emit(
    '  // ---- runs',
    '  action init = {',
    '    nondet byz = PROCS.powerset().filter(s => s.size() <= T).oneOf()',
    '    nondet inp = PROCS.setOfMaps(VALUES).oneOf()',
    '    all {',
    '      round\' = 0,',
    '      faulty\' = byz,',
    '      inputs\' = inp,',
    '      state\' = PROCS.mapBy(i => initial(inp.get(i))),',
    ...byzVars.map((v) => `      ${v}' = Map(),`),
    '    }',
    '  }',
    '',
    '  /// after R rounds the run is over: nothing changes any more',
    '  action done = all {',
    '    round >= R,',
    ...['round', 'faulty', 'inputs', 'state', ...byzVars].map((v) => `    ${v}' = ${v},`),
    '  }',
    '',
    '  action step = any {',
    ...protocol.rounds.map((r) => `    ${roundAction(r)},`),
    '    done,',
    '  }',
    '',
    '  // ---- properties (only correct processes count)',
  );
  if (protocol.properties.agreement) {
    emit(
      '  /// no two correct processes decide differently',
      '  val agreement: bool = correct.forall(i => correct.forall(j =>',
      '    (state.get(i).decided != None and state.get(j).decided != None) implies (state.get(i).decided == state.get(j).decided)))',
    );
  }
  if (protocol.properties.validity) {
    emit(
      '  /// if every correct input is w, no correct process decides anything but w',
      '  val validity: bool = VALUES.forall(w => correct.forall(i => inputs.get(i) == w) implies',
      '    correct.forall(i => (state.get(i).decided == None) or (state.get(i).decided == Some(w))))',
    );
  }
  if (protocol.properties.termination !== null) {
    emit(
      `  /// every correct process has decided by the end of round R = ${printExpr(protocol.properties.termination)}`,
      '  val termination: bool = (round >= R) implies correct.forall(i => state.get(i).decided != None)',
    );
  }
  const invariants = quintInvariants(protocol);
  emit('  /// every claimed property', `  val claims: bool = ${invariants.length === 0 ? 'true' : invariants.join(' and ')}`, '}', '');
  return lines.join('\n');
}

/** Drops the parentheses around a whole expression where the syntax already delimits it (`if (...)`). */
function unwrap(text: string): string {
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    // The first parenthesis closes before the end: `(a) + (b)` is not one parenthesized expression.
    if (depth === 0 && i < text.length - 1) return text;
  }
  return text.slice(1, -1);
}

function byzVar(m: MessageDecl): string {
  return `byz_${m.name}`;
}

function roundAction(round: Round): string {
  return `round_${round.name}`;
}

function initialRecord(protocol: Protocol, field: (name: string) => string): string {
  const scope: ExprScope = { protocol, state: 's', phase: '1', field };
  const entries = protocol.vars.map((v) => `${field(v.name)}: ${v.init === 'input' ? 'input' : quintAs(v.init, v.type, scope)}`);
  return `{ ${[...entries, `${DECIDED}: None`].join(', ')} }`;
}

/** The declarations of one round: its sends, its rules as an update function, and its action. */
function roundText(protocol: Protocol, round: Round, index: number, field: (name: string) => string): string[] {
  const name = round.name;
  const state: ExprScope = { protocol, state: 's', phase: 'ph', field };
  const counts = (message: string): string => `c_${message}`;
  const receive: ExprScope = { ...state, counts };
  const sent = round.sends.map((s) => ({ send: s, decl: messageOf(protocol, s.message) }));
  const out: string[] = [`  // ---- round ${name} (round ${index + 1} of each phase)`];

  // Sends: whether a correct process sends, and what, from its state and the phase alone.
  for (const { send, decl } of sent) {
    out.push(`  // send ${send.message}${send.payload === null ? '' : `(${printExpr(send.payload)})`}${send.when === null ? '' : ` if ${printExpr(send.when)}`}${decl.leader ? ' (the leader only)' : ''}`);
    out.push(`  pure def sends_${name}_${decl.name}(s: Local, ph: int): bool = ${send.when === null ? 'true' : quintExpr(send.when, state)}`);
    if (decl.payload !== null && send.payload !== null) {
      out.push(`  pure def payload_${name}_${decl.name}(s: Local, ph: int): ${quintType(decl.payload)} = ${quintAs(send.payload, decl.payload, state)}`);
    }
  }

  // Rules: the first guard that holds fires; none holding leaves the state unchanged.
  const params = ['s: Local', 'ph: int', ...sent.map(({ decl }) => `${counts(decl.name)}: ${decl.payload === null ? 'int' : `${quintType(decl.payload)} -> int`}`)];
  out.push(`  pure def update_${name}(${params.join(', ')}): Local =`);
  let closed = false;
  for (const [r, rule] of round.rules.entries()) {
    const otherwise = rule.guard.kind === 'bool' && rule.guard.value;
    out.push(`    // ${otherwise ? 'otherwise' : `when ${printExpr(rule.guard)}`}: ${rule.actions.length === 0 ? 'skip' : rule.actions.map(printAction).join('; ')}`);
    const body = ruleRecord(protocol, rule.actions, receive, field);
    // `otherwise` (the guard true) ends the chain; the static checker puts nothing after it.
    if (otherwise && r > 0) {
      out.push(`    else ${body}`);
      closed = true;
      break;
    }
    out.push(`    ${r === 0 ? '' : 'else '}if (${unwrap(quintExpr(rule.guard, receive))}) ${body}`);
  }
  if (!closed) out.push(round.rules.length === 0 ? '    s' : '    else s');
  out.push('');

  // The round: correct broadcasts, Byzantine choices per receiver, every correct process updates.
  out.push(`  action ${roundAction(round)} = {`, '    val ph = phase');
  for (const { decl } of sent) {
    const m = decl.name;
    const sender = `sends_${name}_${m}(state.get(j), ph)${decl.leader ? ' and j == leader' : ''}`;
    out.push(`    // ${m}: the correct senders${decl.leader ? ' (the leader, if correct)' : ''}, and what the Byzantine ones send each correct receiver`);
    if (decl.payload === null) out.push(`    val sent_${m} = correct.filter(j => ${sender}).size()`);
    else out.push(`    val sent_${m} = ${quintDomain(decl.payload)}.mapBy(p => correct.filter(j => ${sender} and payload_${name}_${m}(state.get(j), ph) == p).size())`);
    out.push(`    val from_${m} = ${decl.leader ? 'faulty.intersect(Set(leader))' : 'faulty'}`);
    out.push(`    nondet to_${m} = correct.setOfMaps(from_${m}.powerset()).oneOf()`);
    if (decl.payload !== null) out.push(`    nondet pay_${m} = correct.setOfMaps(from_${m}.setOfMaps(${quintDomain(decl.payload)})).oneOf()`);
  }
  const received = sent.map(({ decl }) => {
    const m = decl.name;
    if (decl.payload === null) return `sent_${m} + to_${m}.get(i).size()`;
    return `${quintDomain(decl.payload)}.mapBy(p => sent_${m}.get(p) + to_${m}.get(i).filter(b => pay_${m}.get(i).get(b) == p).size())`;
  });
  out.push(
    '    all {',
    '      round < R,',
    `      round % K == ${index},`,
    `      state' = PROCS.mapBy(i => if (correct.contains(i)) update_${name}(${['state.get(i)', 'ph', ...received].join(', ')}) else state.get(i)),`,
  );
  for (const m of protocol.messages) {
    const mine = sent.some(({ decl }) => decl.name === m.name);
    const value = !mine ? 'Map()' : m.payload === null ? `to_${m.name}` : `correct.mapBy(i => to_${m.name}.get(i).mapBy(b => pay_${m.name}.get(i).get(b)))`;
    out.push(`      ${byzVar(m)}' = ${value},`);
  }
  out.push("      round' = round + 1,", "      faulty' = faulty,", "      inputs' = inputs,", '    }', '  }', '');
  return out;
}

/** The state after a rule's actions: every right-hand side reads `s`, the state before the rule; a later action on the same variable wins, as in the simulator. */
function ruleRecord(protocol: Protocol, actions: readonly Action[], scope: ExprScope, field: (name: string) => string): string {
  const updates = new Map<string, string>();
  for (const action of actions) {
    if (action.kind === 'decide') updates.set(DECIDED, `decideOnce(s, ${quintExpr(action.value, scope)})`);
    else updates.set(field(action.name), quintAs(action.value, varDeclType(protocol, action.name), scope));
  }
  if (updates.size === 0) return 's';
  return `{ ...s, ${[...updates].map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
}

function varDeclType(protocol: Protocol, name: string): Type {
  const decl = protocol.vars.find((v) => v.name === name);
  if (decl === undefined) throw new Error(`export: assignment to undeclared variable '${name}'`);
  return decl.type;
}
