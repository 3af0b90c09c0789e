import { describe, expect, it } from '@jest/globals'
import { oneLine } from '../../src/format/text.js'
import { codeBlock, codeSpan, escapeMarkdown } from '../../src/render/escape.js'

describe('oneLine shows invisible characters', () => {
  it.each([
    ['invoice\u202Etxt.exe', 'invoice<U+202E>txt.exe'],
    ['\u2066iso\u2069 \u061Cx', '<U+2066>iso<U+2069> <U+061C>x'],
    ['zero\u200Bwidth jo\u200Din \u200E\u200F', 'zero<U+200B>width jo<U+200D>in <U+200E><U+200F>'],
    ['\uFEFFbom wo\u2060rd', '<U+FEFF>bom wo<U+2060>rd'],
    ['soft\u00ADhyphen \u3164filler', 'soft<U+00AD>hyphen <U+3164>filler'],
    ['tag\u{E0041}s', 'tag<U+E0041>s'],
    ['heart \u2764\uFE0F', 'heart \u2764'], // variation selectors only pick a glyph
    ['plain text, ünïcode, 日本', 'plain text, ünïcode, 日本'],
  ])('%#: %j', (text, expected) => {
    expect(oneLine(text, 200)).toBe(expected)
  })
})

describe('escapeMarkdown leaves nothing that GitHub links', () => {
  it.each([
    ['see www.evil.example', 'see www&#8203;.evil.example'],
    ['WWW.Evil.example', 'WWW&#8203;.Evil.example'],
    ['http://evil.example', 'http:&#8203;//evil.example'],
    ['eve@evil.example', 'eve@&#8203;evil.example'],
    [
      'fixes #123 and GH-45, org/repo#6',
      'fixes \\#&#8203;123 and GH-&#8203;45, org/repo\\#&#8203;6',
    ],
    ['# heading, #tag', '\\# heading, \\#tag'],
    ['a@b #1', 'a@&#8203;b \\#&#8203;1'],
    ['<!-- image-size-gate:comment-key=x -->', '&lt;\\!-- image-size-gate:comment-key=x --&gt;'],
    ['bidi \u202E', 'bidi &lt;U\\+202E&gt;'],
  ])('%#: %j', (text, expected) => {
    expect(escapeMarkdown(text)).toBe(expected)
  })
})

describe('code spans and blocks never hold an HTML comment', () => {
  it('defuses <!-- in a code span', () => {
    expect(codeSpan('<!-- image-size-gate:comment-key=x -->')).toBe(
      '`< !-- image-size-gate:comment-key=x -->`',
    )
  })

  it('defuses <!-- in a code block, and shows invisible characters', () => {
    const block = codeBlock(['ok', '<!-- image-size-gate:comment-key=x --> \u202Eevil'])
    expect(block).not.toContain('<!--')
    expect(block).toContain('< !-- image-size-gate:comment-key=x --> <U+202E>evil')
  })
})
