import { createRequire as __isgCreateRequire } from 'node:module'; import { fileURLToPath as __isgFileURLToPath } from 'node:url'; const require = __isgCreateRequire(import.meta.url); const __filename = __isgFileURLToPath(import.meta.url); const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));
import{a as y,b as l,c as w,e as $,f as i,g as d,h as x,i as E,j as B,k as u,l as R}from"./chunks/chunk-YJP4S4J7.js";import{e as c,g as b}from"./chunks/chunk-N2UYJO3T.js";import{a as f,b as m,c as h}from"./chunks/chunk-O4AJP4W3.js";import"./chunks/chunk-6HAJ5OZ5.js";import{parseArgs as k}from"node:util";var v={pass:"PASS",warn:"WARN",fail:"FAIL",skip:"SKIP"};function S(n){let e=[`image-size-gate: ${v[n.verdict]}`];for(let s of n.entries)e.push("",...T(s));return`${e.join(`
`)}
`}function T(n){let e=n.comparison,s=[];n.label&&s.push(`== ${i(n.label,60)}`);let o=t=>t===void 0?"?":y(t);s.push(`PR    ${i(e.head.reference,80)}  ${o(e.totals.headBytes)}  (${c(e.head.origin)})`),s.push(e.base?`Base  ${i(e.base.reference,80)}  ${o(e.totals.baseBytes)}  (${c(e.base.origin)})`:`Base  none: ${i(e.noBaseline??"",120)}`),e.totals.deltaBytes!==void 0&&s.push(`Change ${l(e.totals.deltaBytes)} (${w(e.totals.deltaPercent)}), basis: ${e.basis}`),e.pull&&s.push(`Pull (compressed): base ${o(e.pull.baseBytes)}, PR ${o(e.pull.headBytes)}${e.pull.newBytes===void 0?"":`, new bytes ${o(e.pull.newBytes)}`}`);for(let t of n.rules)s.push(`  ${v[t.status]} ${t.key.padEnd(14)} limit ${d(t,t.limit)}, actual ${d(t,t.actual)}${t.actual===void 0?` (${t.message})`:""}`);let r=e.layers.filter(t=>t.change==="changed"&&t.deltaBytes===0).length,a=e.layers.filter(t=>t.change!=="unchanged"&&!(t.change==="changed"&&t.deltaBytes===0));s.push(`Layers: ${e.head.layers.length} in the PR image, ${a.length} changed${r?`, ${r} rebuilt with the same size`:""}`);for(let t of a){let p=String(t.headPosition??`(${t.basePosition})`).padStart(4),g=t.deltaBytes===void 0?"?":l(t.deltaBytes);s.push(`${p} ${t.change.padEnd(9)} ${g.padStart(11)}  ${t.instruction?i(b(t.instruction),90):"(no history)"}`)}s.push(...x(n.findings));for(let t of e.notes)s.push(`note: ${i(t,200)}`);return s}var I=`Usage: image-size-gate compare BASE HEAD [options]

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
`,O=["text","markdown","json"];async function P(n,e){let s;try{s=C(n)}catch(r){let a=r instanceof m?M(r):h(r);return e.stderr(`image-size-gate: ${a}
${r instanceof m?"":`
${I}`}`),2}if(s==="help")return e.stdout(I),0;if(s==="version")return e.stdout(`${u}
`),0;let o={debug(){},info:r=>e.stderr(`${r}
`),warning:r=>e.stderr(`warning: ${r}
`)};try{let r=await R(s.options,{log:o}),a=s.format==="json"?`${JSON.stringify(B(r,u),null,2)}
`:s.format==="markdown"?E(r,{fullReportHint:"The full report: --format text or json."}):S(r);return e.stdout(a),r.verdict==="fail"?1:0}catch(r){if(!(r instanceof f))throw r;return e.stderr(`image-size-gate: ${r.message}
`),3}}function C(n){let{values:e,positionals:s}=k({args:n,allowPositionals:!0,options:{"max-size":{type:"string"},"warn-size":{type:"string"},"max-increase":{type:"string"},"warn-increase":{type:"string"},"max-layers":{type:"string"},"size-basis":{type:"string"},"registry-username":{type:"string"},"registry-password":{type:"string"},platforms:{type:"string"},"insecure-registries":{type:"string"},format:{type:"string",default:"text"},help:{type:"boolean",short:"h"},version:{type:"boolean",short:"v"}}});if(e.help)return"help";if(e.version)return"version";let[o,r,a,...t]=s;if(o!=="compare")throw new Error(o?`unknown command "${o}"`:"no command given");if(!r||!a||t.length>0)throw new Error("compare takes exactly two images: BASE HEAD");let p=e.format;if(!O.includes(p))throw new m([`Option --format has the value ${JSON.stringify(e.format)}; expected text, markdown or json.`]);let{format:g,help:L,version:F,...A}=e,z={...A,"base-image":r==="none"?"":r,"head-image":a};return{options:$(z),format:p}}function M(n){return n.problems.map(e=>e.replace(/^Input "([a-z-]+)"/,"Option --$1")).join(`
image-size-gate: `)}var j=await P(process.argv.slice(2),{stdout:n=>process.stdout.write(n),stderr:n=>process.stderr.write(n)});process.exitCode=j;
