import { createRequire as __isgCreateRequire } from 'node:module'; import { fileURLToPath as __isgFileURLToPath } from 'node:url'; const require = __isgCreateRequire(import.meta.url); const __filename = __isgFileURLToPath(import.meta.url); const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));
import{a as m,b as c,c as d,e as b,f as i,g,h as x,i as E,j as v,k as f,l as R}from"./chunks/chunk-PYBC24LV.js";import{e as u,g as B}from"./chunks/chunk-AUV2D4VS.js";import{a as $,b as l,c as w}from"./chunks/chunk-O4AJP4W3.js";import"./chunks/chunk-6HAJ5OZ5.js";import{parseArgs as k}from"node:util";var h={pass:"PASS",warn:"WARN",fail:"FAIL",skip:"SKIP"};function S(n){let e=[`image-size-gate: ${h[n.verdict]}`];if(n.entries.length>1)for(let r of n.entries){let o=r.comparison.totals,s=o.headBytes===void 0?"?":m(o.headBytes),a=o.deltaBytes===void 0?"":`, ${c(o.deltaBytes)} (${d(o.deltaPercent)})`;e.push(`  ${i(r.label??"",40)}: ${s}${a} ${h[r.verdict]}`)}for(let r of n.entries)e.push("",...T(r));return`${e.join(`
`)}
`}function T(n){let e=n.comparison,r=[];n.label&&r.push(`== ${i(n.label,60)}`);let o=t=>t===void 0?"?":m(t);r.push(`PR    ${i(e.head.reference,80)}  ${o(e.totals.headBytes)}  (${u(e.head.origin)})`),r.push(e.base?`Base  ${i(e.base.reference,80)}  ${o(e.totals.baseBytes)}  (${u(e.base.origin)})`:`Base  none: ${i(e.noBaseline??"",120)}`),e.totals.deltaBytes!==void 0&&r.push(`Change ${c(e.totals.deltaBytes)} (${d(e.totals.deltaPercent)}), basis: ${e.basis}`),e.pull&&r.push(`Pull (compressed): base ${o(e.pull.baseBytes)}, PR ${o(e.pull.headBytes)}${e.pull.newBytes===void 0?"":`, new bytes ${o(e.pull.newBytes)}`}`);for(let t of n.rules)r.push(`  ${h[t.status]} ${t.key.padEnd(14)} limit ${g(t,t.limit)}, actual ${g(t,t.actual)}${t.actual===void 0?` (${t.message})`:""}`);let s=e.layers.filter(t=>t.change==="changed"&&t.deltaBytes===0).length,a=e.layers.filter(t=>t.change!=="unchanged"&&!(t.change==="changed"&&t.deltaBytes===0));r.push(`Layers: ${e.head.layers.length} in the PR image, ${a.length} changed${s?`, ${s} rebuilt with the same size`:""}`);for(let t of a){let p=String(t.headPosition??`(${t.basePosition})`).padStart(4),y=t.deltaBytes===void 0?"?":c(t.deltaBytes);r.push(`${p} ${t.change.padEnd(9)} ${y.padStart(11)}  ${t.instruction?i(B(t.instruction),90):"(no history)"}`)}r.push(...x(n.findings));for(let t of e.notes)r.push(`note: ${i(t,200)}`);return r}var I=`Usage: image-size-gate compare BASE HEAD [options]

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
`,O=["text","markdown","json"];async function P(n,e){let r;try{r=C(n)}catch(s){let a=s instanceof l?M(s):w(s);return e.stderr(`image-size-gate: ${a}
${s instanceof l?"":`
${I}`}`),2}if(r==="help")return e.stdout(I),0;if(r==="version")return e.stdout(`${f}
`),0;let o={debug(){},info:s=>e.stderr(`${s}
`),warning:s=>e.stderr(`warning: ${s}
`)};try{let s=await R(r.options,{log:o}),a=r.format==="json"?`${JSON.stringify(v(s,f),null,2)}
`:r.format==="markdown"?E(s,{fullReportHint:"The full report: --format text or json."}):S(s);return e.stdout(a),s.verdict==="fail"?1:0}catch(s){if(!(s instanceof $))throw s;return e.stderr(`image-size-gate: ${s.message}
`),3}}function C(n){let{values:e,positionals:r}=k({args:n,allowPositionals:!0,options:{"max-size":{type:"string"},"warn-size":{type:"string"},"max-increase":{type:"string"},"warn-increase":{type:"string"},"max-layers":{type:"string"},"size-basis":{type:"string"},"registry-username":{type:"string"},"registry-password":{type:"string"},platforms:{type:"string"},"insecure-registries":{type:"string"},format:{type:"string",default:"text"},help:{type:"boolean",short:"h"},version:{type:"boolean",short:"v"}}});if(e.help)return"help";if(e.version)return"version";let[o,s,a,...t]=r;if(o!=="compare")throw new Error(o?`unknown command "${o}"`:"no command given");if(!s||!a||t.length>0)throw new Error("compare takes exactly two images: BASE HEAD");let p=e.format;if(!O.includes(p))throw new l([`Option --format has the value ${JSON.stringify(e.format)}; expected text, markdown or json.`]);let{format:y,help:L,version:F,...z}=e,A={...z,"base-image":s==="none"?"":s,"head-image":a};return{options:b(A),format:p}}function M(n){return n.problems.map(e=>e.replace(/^Input "([a-z-]+)"/,"Option --$1")).join(`
image-size-gate: `)}var j=await P(process.argv.slice(2),{stdout:n=>process.stdout.write(n),stderr:n=>process.stderr.write(n)});process.exitCode=j;
