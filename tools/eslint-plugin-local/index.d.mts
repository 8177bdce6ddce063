// Types for the plain-JS plugin, so TypeScript code (tests) can import it under `npm run typecheck`.
import type { ESLint, Rule } from 'eslint';

declare const plugin: ESLint.Plugin & { rules: { 'code-layering': Rule.RuleModule } };
export default plugin;
