import type { CorpusCase } from './corpus-case.js';
import { ENGLISH } from './english.corpus.js';
import { ZH_DISTRACTORS } from './zh-distractors.corpus.js';
import { HELD_OUT } from './held-out.corpus.js';
import { MIXED_AND_TYPOS } from './mixed-and-typos.corpus.js';
import { ZH_NOT_CREDITED } from './zh-not-credited.corpus.js';
import { ZH_OTHER_PROBLEMS } from './zh-other-problems.corpus.js';

export type { CorpusCase } from './corpus-case.js';

export const CORPUS: CorpusCase[] = [...ZH_NOT_CREDITED, ...ZH_OTHER_PROBLEMS, ...ENGLISH, ...ZH_DISTRACTORS, ...MIXED_AND_TYPOS, ...HELD_OUT];
