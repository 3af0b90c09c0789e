import { createRequire as __isgCreateRequire } from 'node:module'; import { fileURLToPath as __isgFileURLToPath } from 'node:url'; const require = __isgCreateRequire(import.meta.url); const __filename = __isgFileURLToPath(import.meta.url); const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));
import{a as h,b as c,c as y,e as w,f as a,g as d,h as b,i as E,j as x,k as u,l as R}from"./chunks/chunk-LKCFL4UW.js";import{e as l,g as $}from"./chunks/chunk-N2UYJO3T.js";import{a as g,b as p,c as f}from"./chunks/chunk-O4AJP4W3.js";import"./chunks/chunk-6HAJ5OZ5.js";import{parseArgs as z}from"node:util";var v={pass:"PASS",warn:"WARN",fail:"FAIL",skip:"SKIP"};function S(n){let e=[`image-size-gate: ${v[n.verdict]}`];for(let s of n.entries)e.push("",...T(s));return`${e.join(`
`)}
`}function T(n){let e=n.comparison,s=[];n.label&&s.push(`== ${a(n.label,60)}`);let o=r=>r===void 0?"?":h(r);s.push(`PR    ${a(e.head.reference,80)}  ${o(e.totals.headBytes)}  (${l(e.head.origin)})`),s.push(e.base?`Base  ${a(e.base.reference,80)}  ${o(e.totals.baseBytes)}  (${l(e.base.origin)})`:`Base  none: ${a(e.noBaseline??"",120)}`),e.totals.deltaBytes!==void 0&&s.push(`Change ${c(e.totals.deltaBytes)} (${y(e.totals.deltaPercent)}), basis: ${e.basis}`),e.pull&&s.push(`Pull (compressed): base ${o(e.pull.baseBytes)}, PR ${o(e.pull.headBytes)}${e.pull.newBytes===void 0?"":`, new bytes ${o(e.pull.newBytes)}`}`);for(let r of n.rules)s.push(`  ${v[r.status]} ${r.key.padEnd(14)} limit ${d(r,r.limit)}, actual ${d(r,r.actual)}${r.actual===void 0?` (${r.message})`:""}`);let t=e.layers.filter(r=>r.change!=="unchanged");s.push(`Layers: ${e.head.layers.length} in the PR image, ${t.length} changed`);for(let r of t){let m=String(r.headPosition??`(${r.basePosition})`).padStart(4),i=r.deltaBytes===void 0?"?":c(r.deltaBytes);s.push(`${m} ${r.change.padEnd(9)} ${i.padStart(11)}  ${r.instruction?a($(r.instruction),90):"(no history)"}`)}s.push(...b(n.findings));for(let r of e.notes)s.push(`note: ${a(r,200)}`);return s}var B=`Usage: image-size-gate compare BASE HEAD [options]

Compares two container images layer by layer. BASE may be "none" (no baseline).
References: app:tag (Docker engine, pulled when missing), docker-daemon:REF (engine only),
docker://REF (registry), docker-archive:PATH, oci-archive:PATH, oci:DIR[:REF].

Options (the action's inputs):
  --max-size SIZE        fail above this size (500MB, 1.5GB, 300MiB)
  --warn-size SIZE       warn above this size
  --max-increase LIMIT   fail when grown by more than SIZE, PERCENT% or both (20MB,5%)
  --warn-increase LIMIT  warn when grown by more than this
  --max-layers N         fail above N layers
  --size-basis BASIS     uncompressed (default) or compressed
  --platforms LIST       compare these platforms (linux/amd64,linux/arm64), one entry each
  --insecure-registries LIST   registries to reach over plain HTTP (loopback always is)
  --registry-username U  --registry-password P   registry credentials
  --format FORMAT        text (default), markdown or json
  -h, --help             this help;  -v, --version

Exit codes: 0 within budget (or warnings), 1 budget exceeded, 2 bad usage, 3 could not compare.
`,k=["text","markdown","json"];async function I(n,e){let s;try{s=O(n)}catch(t){let r=t instanceof p?C(t):f(t);return e.stderr(`image-size-gate: ${r}
${t instanceof p?"":`
${B}`}`),2}if(s==="help")return e.stdout(B),0;if(s==="version")return e.stdout(`${u}
`),0;let o={debug(){},info:t=>e.stderr(`${t}
`),warning:t=>e.stderr(`warning: ${t}
`)};try{let t=await R(s.options,{log:o}),r=s.format==="json"?`${JSON.stringify(x(t,u),null,2)}
`:s.format==="markdown"?E(t,{maxChars:Number.MAX_SAFE_INTEGER}):S(t);return e.stdout(r),t.verdict==="fail"?1:0}catch(t){if(!(t instanceof g))throw t;return e.stderr(`image-size-gate: ${t.message}
`),3}}function O(n){let{values:e,positionals:s}=z({args:n,allowPositionals:!0,options:{"max-size":{type:"string"},"warn-size":{type:"string"},"max-increase":{type:"string"},"warn-increase":{type:"string"},"max-layers":{type:"string"},"size-basis":{type:"string"},"registry-username":{type:"string"},"registry-password":{type:"string"},platforms:{type:"string"},"insecure-registries":{type:"string"},format:{type:"string",default:"text"},help:{type:"boolean",short:"h"},version:{type:"boolean",short:"v"}}});if(e.help)return"help";if(e.version)return"version";let[o,t,r,...m]=s;if(o!=="compare")throw new Error(o?`unknown command "${o}"`:"no command given");if(!t||!r||m.length>0)throw new Error("compare takes exactly two images: BASE HEAD");let i=e.format;if(!k.includes(i))throw new p([`Option --format has the value ${JSON.stringify(e.format)}; expected text, markdown or json.`]);let{format:F,help:L,version:N,...A}=e,P={...A,"base-image":t==="none"?"":t,"head-image":r};return{options:w(P),format:i}}function C(n){return n.problems.map(e=>e.replace(/^Input "([a-z-]+)"/,"Option --$1")).join(`
image-size-gate: `)}var M=await I(process.argv.slice(2),{stdout:n=>process.stdout.write(n),stderr:n=>process.stderr.write(n)});process.exitCode=M;
