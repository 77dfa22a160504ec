// Small hybrid protocols (docs/semantics.md section 1.9) for the simulator and trace tests.
import type { Protocol } from '../../src/ir/types';
import { parse } from './fault-protocols';

export const UNFORGEABLE = 'property unforgeable for followers: always (no(input == 1) implies no(accepted))';

/**
 * The text of reliable broadcast by echoes under t Byzantine and o omission
 * faults (specs/sta/rb-hybrid.bft without its comments), the hybrid protocol
 * the tests share; each varies its name, resilience condition and properties.
 */
export function rbHybridSource(options: { name?: string; resilience?: string; properties?: readonly string[] } = {}): string {
  return `protocol ${options.name ?? 'RbHybrid'}
values 0..1
resilience ${options.resilience ?? 'n > 3*t + 2*o'}
faults byzantine and omission

var v : value = input
var accepted : bool = false

message ECHO

round echo {
  send ECHO if v == 1
  when count(ECHO) >= n - t - o: v := 1; accepted := true
  when count(ECHO) >= n - 2*t - 2*o: v := 1
}

horizon 3

${(options.properties ?? [UNFORGEABLE]).join('\n')}
`;
}

/** Reliable broadcast by echoes under t Byzantine and o omission faults; `broken`: resilience n >= 3t + 2o (a counterexample at n = 5, t = 1, o = 1). */
export function rbHybrid(options: { broken?: boolean } = {}): Protocol {
  const broken = options.broken === true;
  return parse(
    rbHybridSource({
      name: `RbHybrid${broken ? 'Broken' : ''}`,
      resilience: `n ${broken ? '>=' : '>'} 3*t + 2*o`,
      properties: [UNFORGEABLE, 'property delivery: if all(input == 1) then eventually all(accepted) within 1'],
    }),
  );
}

/** A hybrid leader protocol: the phase's leader proposes, everyone adopts it and decides in the last phase; agreement and validity claimed. */
export function leaderHybrid(): Protocol {
  return parse(`protocol LeaderHybrid
values 0..1
resilience n > 3*t + 2*o
faults byzantine and omission

var v : value = input

message VOTE(value)
leader message PROPOSE(value)

round vote {
  send VOTE(v)
  when count(VOTE, 1) >= n - t - o: v := 1
  when count(VOTE, 0) >= n - t - o: v := 0
}

round propose {
  send PROPOSE(v)
  when count(PROPOSE, 1) >= 1: v := 1; decide 1
  when count(PROPOSE, 0) >= 1: v := 0; decide 0
}

horizon 4
claims agreement, validity
`);
}
