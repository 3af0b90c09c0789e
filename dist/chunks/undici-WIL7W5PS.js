import { createRequire as __isgCreateRequire } from 'node:module'; import { fileURLToPath as __isgFileURLToPath } from 'node:url'; const require = __isgCreateRequire(import.meta.url); const __filename = __isgFileURLToPath(import.meta.url); const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));
import{a}from"./chunk-PTADSSSA.js";import"./chunk-6HAJ5OZ5.js";export default a();
