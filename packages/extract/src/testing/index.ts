// Fixture generator for tests (invoices with known ground truth); filled in by src/testing/*.
export {};
