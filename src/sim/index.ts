// The simulator: the independent oracle of docs/semantics.md section 3.1.

export { makeInstance, instanceOrThrow, ARGS_LOC, type Instance, type InstanceArgs } from './instance';
export { silent, random, split, replay, scripted, type Adversary, type RoundView } from './adversary';
export { simulate, defaultRounds, initialStates, type SimulateOptions } from './simulate';
export { replayTrace, type ReplayReport, type ReplayOptions, type Mismatch, type MismatchKind } from './replay';
export { explore, byzantineSets, type ExploreOptions, type ExploreResult, type ExploreStats, type PropertyVerdict } from './explore';
export { claimsOf, violationsOf, type Claims } from './properties';
export { roundPosition, checkByzantine, stepRound, usesLeaderMessages, type RoundPosition } from './step';
export { receiverChoices, materializeChoice, type ReceiverChoice } from './byzantine-choices';
export { userViolation, userViolationAt, userViolations, inScope, scopeAt, stateHolds, formulaHoldsOn, checkedBoundary, INPUT_NAME, type ScopedRun, type RunContext } from './user-properties';
export { atomsOf } from './formula-atoms';
export { none } from './adversary';
export { runSimulation, cleanRoundWithin, type SimulationOutcome } from './simulate';
export { faultKindOf, faultyOf, isFaulty, followersOf, faultBound, processFault, followingFaultyOf, hybridBounds } from './instance';
export { hybridFaultCounts } from './explore';
export { hybridSets, type HybridSet } from './symmetry';
export { checkFaults, faultyRound, NO_FAULTS, type FaultDecision } from './step';
export { runViolations, scopedRunOf } from './properties';
export { defaultFaultCounts } from './explore';
