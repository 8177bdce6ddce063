import codeLayering from './code-layering.mjs';

/** @type {import('eslint').ESLint.Plugin} */
export default {
  meta: { name: 'eslint-plugin-local' },
  rules: { 'code-layering': codeLayering },
};
