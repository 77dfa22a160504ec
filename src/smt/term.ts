// A tiny term language for quantifier-free linear integer arithmetic, with
// constant folding, printed as SMT-LIB2. Encoders build queries out of these
// plain-data terms instead of Z3 objects, so that (a) only ./z3.ts touches
// Z3, (b) the query text is the proof artefact verbatim and can be replayed
// by any SMT-LIB solver, and (c) with concrete n, t most guard arithmetic
// folds away before the solver sees it (queries stay small).
//
// Parameters (n, t, f) are ordinary Int terms: numerals for the concrete
// check, declared constants for the parameterized one (issue 5).
//
// The language is split by concern under ./terms/; this module is the one
// import the encoders use (`import * as T from '../term'`).

export * from './terms/build';
export * from './terms/print';
export * from './terms/analyze';
export * from './terms/eval';
export * from './terms/linear';
