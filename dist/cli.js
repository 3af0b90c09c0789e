import { createRequire as __isgCreateRequire } from 'node:module'; import { fileURLToPath as __isgFileURLToPath } from 'node:url'; const require = __isgCreateRequire(import.meta.url); const __filename = __isgFileURLToPath(import.meta.url); const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));
import{a as c,b as p,c as d,e as w,f as E,g as x,h as a,i as g,j as R,k as S,m as v,n as f,o as I}from"./chunks/chunk-AKTWWFHC.js";import"./chunks/chunk-KKOEBF26.js";import{e as B,g as u}from"./chunks/chunk-WXOWWJZW.js";import{a as $,b as m,c as b}from"./chunks/chunk-O4AJP4W3.js";import"./chunks/chunk-6HAJ5OZ5.js";import{parseArgs as j}from"node:util";var h={pass:"PASS",warn:"WARN",fail:"FAIL",skip:"SKIP"};function z(s){let e=[`image-size-gate: ${h[s.verdict]}`,...O(s)];if(s.entries.length>1)for(let t of s.entries){let o=t.comparison.totals,r=o.headBytes===void 0?"?":c(o.headBytes),i=o.deltaBytes===void 0?"":`, ${p(o.deltaBytes)} (${d(o.deltaPercent)})`;e.push(`  ${a(t.label??"",40)}: ${r}${i} ${h[t.verdict]}`)}for(let t of s.entries)e.push("",...L(t));return`${e.join(`
`)}
`}function O(s){let e=s.entries.filter(o=>o.comparison.noBaseline!==void 0);return e.length===0?[]:[`NO BASELINE${s.entries.length>1?` for ${e.map(o=>a(o.label??"",40)).join(", ")}`:""}: the base image is missing, so the size change was not measured and the increase budgets were not checked.`]}function L(s){let e=s.comparison,t=[];s.label&&t.push(`== ${a(s.label,60)}`);let o=n=>n===void 0?"?":c(n);t.push(`PR    ${a(e.head.reference,80)}  ${o(e.totals.headBytes)}  (${u(e.head.origin)})`),t.push(e.base?`Base  ${a(e.base.reference,80)}  ${o(e.totals.baseBytes)}  (${u(e.base.origin)})`:`Base  none: ${a(e.noBaseline??"",120)}`),e.totals.deltaBytes!==void 0&&t.push(`Change ${p(e.totals.deltaBytes)} (${d(e.totals.deltaPercent)}), basis: ${e.basis}`),e.pull&&t.push(`Pull (compressed): base ${o(e.pull.baseBytes)}, PR ${o(e.pull.headBytes)}${e.pull.newBytes===void 0?"":`, new bytes ${o(e.pull.newBytes)}`}`);for(let n of s.rules)t.push(`  ${h[n.status]} ${n.key.padEnd(14)} limit ${g(n,n.limit)}, actual ${g(n,n.actual)}${n.actual===void 0?` (${n.message})`:""}`);let r=e.layers.filter(x).length,i=e.layers.filter(E);t.push(`Layers: ${e.head.layers.length} in the PR image, ${i.length} changed${r?`, ${r} rebuilt with the same size`:""}`);for(let n of i){let l=String(n.headPosition??`(${n.basePosition})`).padStart(4),y=n.deltaBytes===void 0?"?":p(n.deltaBytes);t.push(`${l} ${n.change.padEnd(9)} ${y.padStart(11)}  ${n.instruction?a(B(n.instruction),90):"(no history)"}`)}t.push(...R(s.findings));for(let n of e.notes)t.push(`note: ${a(n,200)}`);return t}var A=`Usage: image-size-gate compare BASE HEAD [options]

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
  --base-missing WHAT    no-baseline (default: compare without one) or fail (an error, exit 3)
  --registry-username U  --registry-password P   registry credentials
  --registry HOST        the one registry they are for (default: the images' only registry)
  --format FORMAT        text (default), markdown or json
  -h, --help             this help;  -v, --version

Exit codes: 0 within budget (or warnings), 1 budget exceeded, 2 bad usage, 3 could not compare.
`,C=["text","markdown","json"];async function P(s,e){let t;try{t=M(s)}catch(r){let i=r instanceof m?N(r):b(r);return e.stderr(`image-size-gate: ${i}
${r instanceof m?"":`
${A}`}`),2}if(t==="help")return e.stdout(A),0;if(t==="version")return e.stdout(`${f}
`),0;let o={debug(){},info:r=>e.stderr(`${r}
`),warning:r=>e.stderr(`warning: ${r}
`),mask(){}};try{let r=await I(t.options,{log:o}),i=t.format==="json"?`${JSON.stringify(v(r,f),null,2)}
`:t.format==="markdown"?S(r,{fullReportHint:"The full report: --format text or json."}):z(r);return e.stdout(i),r.verdict==="fail"?1:0}catch(r){if(!(r instanceof $))throw r;return e.stderr(`image-size-gate: ${r.message}
`),3}}function M(s){let{values:e,positionals:t}=j({args:s,allowPositionals:!0,options:{"max-size":{type:"string"},"warn-size":{type:"string"},"max-increase":{type:"string"},"warn-increase":{type:"string"},"max-layers":{type:"string"},"size-basis":{type:"string"},registry:{type:"string"},"registry-username":{type:"string"},"registry-password":{type:"string"},platforms:{type:"string"},"insecure-registries":{type:"string"},"base-missing":{type:"string"},format:{type:"string",default:"text"},help:{type:"boolean",short:"h"},version:{type:"boolean",short:"v"}}});if(e.help)return"help";if(e.version)return"version";let[o,r,i,...n]=t;if(o!=="compare")throw new Error(o?`unknown command "${o}"`:"no command given");if(!r||!i||n.length>0)throw new Error("compare takes exactly two images: BASE HEAD");let l=e.format;if(!C.includes(l))throw new m([`Option --format has the value ${JSON.stringify(e.format)}; expected text, markdown or json.`]);let{format:y,help:H,version:D,...T}=e,k={...T,"base-image":r==="none"?"":r,"head-image":i};return{options:w(k),format:l}}function N(s){return s.problems.map(e=>e.replace(/^Input "([a-z-]+)"/,"Option --$1")).join(`
image-size-gate: `)}var F=await P(process.argv.slice(2),{stdout:s=>process.stdout.write(s),stderr:s=>process.stderr.write(s)});process.exitCode=F;
