import { createRequire as __isgCreateRequire } from 'node:module'; import { fileURLToPath as __isgFileURLToPath } from 'node:url'; const require = __isgCreateRequire(import.meta.url); const __filename = __isgFileURLToPath(import.meta.url); const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));
import{a as c,b as m,c as d,e as b,f as B,g as E,h as a,i as f,j as R,k as S,l as v,m as g,n as I}from"./chunks/chunk-VKVL2G7N.js";import"./chunks/chunk-KKOEBF26.js";import{e as x,g as u}from"./chunks/chunk-WXOWWJZW.js";import{a as $,b as p,c as w}from"./chunks/chunk-O4AJP4W3.js";import"./chunks/chunk-6HAJ5OZ5.js";import{parseArgs as C}from"node:util";var h={pass:"PASS",warn:"WARN",fail:"FAIL",skip:"SKIP"};function P(n){let e=[`image-size-gate: ${h[n.verdict]}`];if(n.entries.length>1)for(let t of n.entries){let o=t.comparison.totals,r=o.headBytes===void 0?"?":c(o.headBytes),i=o.deltaBytes===void 0?"":`, ${m(o.deltaBytes)} (${d(o.deltaPercent)})`;e.push(`  ${a(t.label??"",40)}: ${r}${i} ${h[t.verdict]}`)}for(let t of n.entries)e.push("",...O(t));return`${e.join(`
`)}
`}function O(n){let e=n.comparison,t=[];n.label&&t.push(`== ${a(n.label,60)}`);let o=s=>s===void 0?"?":c(s);t.push(`PR    ${a(e.head.reference,80)}  ${o(e.totals.headBytes)}  (${u(e.head.origin)})`),t.push(e.base?`Base  ${a(e.base.reference,80)}  ${o(e.totals.baseBytes)}  (${u(e.base.origin)})`:`Base  none: ${a(e.noBaseline??"",120)}`),e.totals.deltaBytes!==void 0&&t.push(`Change ${m(e.totals.deltaBytes)} (${d(e.totals.deltaPercent)}), basis: ${e.basis}`),e.pull&&t.push(`Pull (compressed): base ${o(e.pull.baseBytes)}, PR ${o(e.pull.headBytes)}${e.pull.newBytes===void 0?"":`, new bytes ${o(e.pull.newBytes)}`}`);for(let s of n.rules)t.push(`  ${h[s.status]} ${s.key.padEnd(14)} limit ${f(s,s.limit)}, actual ${f(s,s.actual)}${s.actual===void 0?` (${s.message})`:""}`);let r=e.layers.filter(E).length,i=e.layers.filter(B);t.push(`Layers: ${e.head.layers.length} in the PR image, ${i.length} changed${r?`, ${r} rebuilt with the same size`:""}`);for(let s of i){let l=String(s.headPosition??`(${s.basePosition})`).padStart(4),y=s.deltaBytes===void 0?"?":m(s.deltaBytes);t.push(`${l} ${s.change.padEnd(9)} ${y.padStart(11)}  ${s.instruction?a(x(s.instruction),90):"(no history)"}`)}t.push(...R(n.findings));for(let s of e.notes)t.push(`note: ${a(s,200)}`);return t}var z=`Usage: image-size-gate compare BASE HEAD [options]

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
  --registry HOST        the one registry they are for (default: the images' only registry)
  --format FORMAT        text (default), markdown or json
  -h, --help             this help;  -v, --version

Exit codes: 0 within budget (or warnings), 1 budget exceeded, 2 bad usage, 3 could not compare.
`,M=["text","markdown","json"];async function A(n,e){let t;try{t=j(n)}catch(r){let i=r instanceof p?L(r):w(r);return e.stderr(`image-size-gate: ${i}
${r instanceof p?"":`
${z}`}`),2}if(t==="help")return e.stdout(z),0;if(t==="version")return e.stdout(`${g}
`),0;let o={debug(){},info:r=>e.stderr(`${r}
`),warning:r=>e.stderr(`warning: ${r}
`),mask(){}};try{let r=await I(t.options,{log:o}),i=t.format==="json"?`${JSON.stringify(v(r,g),null,2)}
`:t.format==="markdown"?S(r,{fullReportHint:"The full report: --format text or json."}):P(r);return e.stdout(i),r.verdict==="fail"?1:0}catch(r){if(!(r instanceof $))throw r;return e.stderr(`image-size-gate: ${r.message}
`),3}}function j(n){let{values:e,positionals:t}=C({args:n,allowPositionals:!0,options:{"max-size":{type:"string"},"warn-size":{type:"string"},"max-increase":{type:"string"},"warn-increase":{type:"string"},"max-layers":{type:"string"},"size-basis":{type:"string"},registry:{type:"string"},"registry-username":{type:"string"},"registry-password":{type:"string"},platforms:{type:"string"},"insecure-registries":{type:"string"},format:{type:"string",default:"text"},help:{type:"boolean",short:"h"},version:{type:"boolean",short:"v"}}});if(e.help)return"help";if(e.version)return"version";let[o,r,i,...s]=t;if(o!=="compare")throw new Error(o?`unknown command "${o}"`:"no command given");if(!r||!i||s.length>0)throw new Error("compare takes exactly two images: BASE HEAD");let l=e.format;if(!M.includes(l))throw new p([`Option --format has the value ${JSON.stringify(e.format)}; expected text, markdown or json.`]);let{format:y,help:N,version:H,...T}=e,k={...T,"base-image":r==="none"?"":r,"head-image":i};return{options:b(k),format:l}}function L(n){return n.problems.map(e=>e.replace(/^Input "([a-z-]+)"/,"Option --$1")).join(`
image-size-gate: `)}var F=await A(process.argv.slice(2),{stdout:n=>process.stdout.write(n),stderr:n=>process.stderr.write(n)});process.exitCode=F;
