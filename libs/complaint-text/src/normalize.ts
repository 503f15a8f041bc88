/**
 * Full-width digits, letters and punctuation to their ASCII forms, one character for one, so
 * every offset into the normalised text is also an offset into the original.
 */
export function normalizeText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch.length !== 1) out += ch;
    else if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else if (code === 0xffe5) out += '¥';
    else out += ch;
  }
  return out;
}

export function spanOf(original: string, start: number, end: number) {
  return { start, end, text: original.slice(start, end) };
}

/** True when the text has Chinese (CJK) characters. */
export function hasCjk(text: string): boolean {
  return /[\u3400-\u9fff]/.test(text);
}
