import { describe, expect, it } from '@jest/globals'
import { StepCounter } from '../../src/image-build/count-steps.js'

/** Step counts from the builders' own output (lines as docker printed them on the testbed). */

const count = (text: string) => {
  const counter = new StepCounter()
  for (const line of text.split('\n')) counter.add(line)
  return counter.counts()
}

describe('StepCounter', () => {
  it('1: classic builder: Step N/M lines, and the ones that used the cache', () => {
    const output = [
      'Step 1/4 : FROM isg-fixture/busybox:1',
      ' ---> bb99d987693a',
      'Step 2/4 : RUN echo shared-7839 > /a && sleep 1',
      ' ---> Using cache',
      ' ---> 5b3f0c1d2e4a',
      'Step 3/4 : RUN echo shared2-7839 > /b',
      ' ---> Using cache',
      'Step 4/4 : RUN echo base > /c',
      ' ---> Running in 0a1b2c3d4e5f',
      'Successfully tagged isgexp:base',
    ].join('\n')
    expect(count(output)).toEqual({ steps: 4, cachedSteps: 2 })
  })

  it('2: BuildKit plain progress: [n/m] vertices, CACHED by vertex number, headers repeated', () => {
    const output = [
      '#1 [internal] load build definition from Dockerfile.bx',
      '#1 CACHED',
      '#3 [internal] load metadata for docker.io/isg-fixture/busybox:1',
      '#4 [1/3] FROM docker.io/isg-fixture/busybox:1',
      '#4 DONE 0.0s',
      '#5 [2/3] RUN echo shared-x24533 > /a',
      '#5 CACHED',
      '#6 [stage-1 3/3] RUN echo head > /c',
      '#6 0.120 some output',
      '#6 [stage-1 3/3] RUN echo head > /c',
      '#6 DONE 0.2s',
      '#7 exporting to image',
    ].join('\n')
    expect(count(output)).toEqual({ steps: 3, cachedSteps: 1 })
  })

  it('3: output without steps (a failure before the first) counts nothing', () => {
    expect(count('ERROR: Cache export is not supported for the docker driver.')).toBeUndefined()
  })
})
