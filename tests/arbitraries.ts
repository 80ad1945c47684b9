/** The project's own tests use the published arbitraries (`partnersim/testing`, src/testing/index.ts). */
export * from '../src/testing/index.ts';
