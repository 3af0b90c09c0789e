import { describe, expect, it } from '@jest/globals'
import { isMetadataOnly, normaliseInstruction } from '../../src/model/instruction.js'
import { configInstructions, pairHistory } from '../../src/model/pair-history.js'

describe('normaliseInstruction', () => {
  it.each([
    [1, '/bin/sh -c #(nop)  ENV A=1', 'ENV A=1'],
    [
      2,
      '/bin/sh -c #(nop) COPY file:' + 'a'.repeat(64) + ' in /bin/busybox ',
      'COPY file in /bin/busybox',
    ],
    [3, '/bin/sh -c apk add --no-cache curl', 'RUN apk add --no-cache curl'],
    [4, '|2 VERSION=1 MODE=prod /bin/sh -c make', 'RUN make'],
    [5, 'RUN /bin/sh -c make # buildkit', 'RUN make'],
    [6, 'COPY . /app # buildkit', 'COPY . /app'],
    [7, 'WORKDIR /app', 'WORKDIR /app'],
    [8, '/bin/busybox --install -s /bin', 'RUN /bin/busybox --install -s /bin'],
    [9, '/bin/sh -c   echo   a\n\tb', 'RUN echo a b'],
    [10, 'RUN |1 X=2 /bin/sh -c echo $X # buildkit', 'RUN echo $X'],
  ])('%i: %j → %j', (_n, raw, expected) => {
    expect(normaliseInstruction(raw)).toBe(expected)
  })

  it('knows which instructions never create a layer', () => {
    expect(isMetadataOnly('/bin/sh -c #(nop)  CMD ["sh"]')).toBe(true)
    expect(isMetadataOnly('LABEL a=b')).toBe(true)
    expect(isMetadataOnly('/bin/sh -c #(nop) WORKDIR /app')).toBe(false)
    expect(isMetadataOnly('/bin/sh -c true')).toBe(false)
  })
})

describe('pairHistory', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `sha256:${i}`)

  it('1: pairs exactly with the config’s empty_layer flags', () => {
    const steps = [
      { createdBy: 'COPY a', emptyLayer: false },
      { createdBy: 'ENV x=1', emptyLayer: true },
      { createdBy: 'RUN true', emptyLayer: false },
    ]
    const pairing = pairHistory(steps, ids(2))
    expect(pairing).toEqual({
      ok: true,
      layers: [
        { diffId: 'sha256:0', instruction: 'COPY a', step: 0 },
        { diffId: 'sha256:1', instruction: 'RUN true', step: 2 },
      ],
    })
  })

  it('2: without flags, sized steps are layers and metadata steps are not', () => {
    const steps = [
      { createdBy: '/bin/sh -c #(nop) COPY file:x in /', size: 100 },
      { createdBy: '/bin/sh -c #(nop)  ENV A=1', size: 0 },
      { createdBy: '/bin/sh -c #(nop) WORKDIR /app', size: 0 },
      { createdBy: '/bin/sh -c make', size: 5 },
    ]
    const pairing = pairHistory(steps, ids(3))
    expect(pairing.ok && pairing.layers.map((l) => l.step)).toEqual([0, 2, 3])
  })

  it('3: zero-byte steps that may or may not be layers fail the pairing instead of guessing', () => {
    const steps = [
      { createdBy: '/bin/sh -c #(nop) COPY file:x in /', size: 100 },
      { createdBy: '/bin/sh -c #(nop) WORKDIR /app', size: 0 },
      { createdBy: '/bin/sh -c true', size: 0 },
    ]
    const pairing = pairHistory(steps, ids(2))
    expect(pairing.ok).toBe(false)
    expect(!pairing.ok && pairing.reason).toMatch(/2 zero-byte history steps could have created 1/)
  })

  it('4: a history with fewer steps than layers fails', () => {
    expect(pairHistory([{ createdBy: 'COPY a', size: 1 }], ids(2)).ok).toBe(false)
    expect(pairHistory([], ids(1)).ok).toBe(false)
  })

  it('5: zero-byte steps that all must be layers are paired', () => {
    const steps = [
      { createdBy: 'COPY a', size: 3 },
      { createdBy: 'RUN rm -rf /x', size: 0 },
    ]
    expect(pairHistory(steps, ids(2)).ok).toBe(true)
  })
})

describe('configInstructions', () => {
  const config = (history: Array<{ created_by: string; empty_layer?: boolean }>) => ({
    rootfs: { type: 'layers', diff_ids: [] },
    history,
  })

  it('1: names each layer’s step from the config history, skipping empty layers', () => {
    const result = configInstructions(
      config([
        { created_by: 'COPY a' },
        { created_by: 'ENV x=1', empty_layer: true },
        { created_by: 'RUN b' },
      ]),
      ['sha256:0', 'sha256:1'],
      'app:1',
    )
    expect(result).toEqual({ instructions: ['COPY a', 'RUN b'], notes: [] })
  })

  it('2: a history that does not pair leaves the steps blank and says so, never guessing', () => {
    const result = configInstructions(
      config([{ created_by: 'COPY a' }]),
      ['sha256:0', 'sha256:1'],
      'app:1',
    )
    expect(result.instructions).toEqual(['', ''])
    expect(result.notes).toEqual([
      expect.stringMatching(/^app:1: the history does not match the layers/),
    ])
  })
})
