export * from './complaint-extraction.js';
export * from './extract-complaint.js';
export { parseChineseInteger } from './chinese-numerals.js';
export { toMinor } from './amount.extractor.js';
