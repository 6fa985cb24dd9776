// Formulas as data: a safe evaluator over numbers and named inputs (KPI definitions, templates, UI checks).
export * from './evaluator.ts';
