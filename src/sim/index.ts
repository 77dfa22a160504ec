// The simulator: the independent oracle of docs/semantics.md section 3.1.

export { makeInstance, instanceOrThrow, ARGS_LOC, type Instance, type InstanceArgs } from './instance';
export { silent, random, split, replay, scripted, type Adversary, type RoundView } from './adversary';
export { simulate, defaultRounds, initialStates, type SimulateOptions } from './simulate';
export { replayTrace, type ReplayReport, type ReplayOptions, type Mismatch, type MismatchKind } from './replay';
export { explore, byzantineSets, type ExploreOptions, type ExploreResult, type ExploreStats, type PropertyVerdict } from './explore';
export { claimsOf, violationsOf, type Claims } from './properties';
export { roundPosition, checkByzantine, stepRound, usesLeaderMessages, type RoundPosition } from './step';
export { receiverChoices, materializeChoice, type ReceiverChoice } from './byzantine-choices';
export { userViolation, userViolationAt, userViolations, inScope, scopeAt, stateHolds, atomsOf, formulaHoldsOn, INPUT_NAME, type ScopedRun } from './user-properties';
