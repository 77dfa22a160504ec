// `check --faults "crash up to t + 1"`: the same protocol against another
// adversary, without editing the file ("what breaks if more processes
// fail, or fail differently"). The declaration is checked by the language
// front end itself: the protocol is printed canonically, its `faults` line
// replaced, and the text parsed and checked again, so the option accepts
// exactly what a file accepts and reports the same errors.
import { protocolHash } from '../ir/hash';
import type { Protocol } from '../ir/types';
import { parseProtocol, printProtocol } from '../lang';
import { UserError } from './io';

const ORIGIN = '--faults';

export function withFaults(protocol: Protocol, spec: string): Protocol {
  if (/[\r\n]/.test(spec) || spec.trim() === '') throw new UserError(`${ORIGIN}: expected one declaration such as "crash", "omission up to t + 1" or "byzantine"`);
  const lines = printProtocol(protocol).split('\n');
  const declaration = `faults ${spec.trim()}`;
  const at = lines.findIndex((l) => l.startsWith('faults '));
  const resilience = lines.findIndex((l) => l.startsWith('resilience '));
  if (at >= 0) lines[at] = declaration;
  else if (resilience >= 0) lines.splice(resilience + 1, 0, declaration);
  else throw new Error('internal error: a printed protocol has no resilience line');
  const line = (at >= 0 ? at : resilience + 1) + 1;
  const r = parseProtocol(lines.join('\n'), ORIGIN);
  if (!r.ok) {
    const messages = r.errors.map((e) => (e.loc.line === line ? `${ORIGIN} "${spec}": ${e.message}` : `${ORIGIN} "${spec}" does not fit ${protocol.name}: ${e.message}`));
    throw new UserError(messages.join('\n'));
  }
  // the rest of the protocol must come back unchanged: the override replaces the fault model and nothing else
  if (protocolHash({ ...r.value, faults: protocol.faults }) !== protocolHash(protocol)) throw new Error(`internal error: ${ORIGIN} changed more of ${protocol.name} than its fault model`);
  return r.value;
}
