import type { ComplaintProblemType, Extracted } from './complaint-extraction.js';
import { spanOf } from './normalize.js';

// In order of precedence when a complaint names several problems: a double charge or a bad key
// is the more specific claim than "not credited", which buyers add to both.
const RULES: { type: Exclude<ComplaintProblemType, 'OTHER'>; pattern: RegExp }[] = [
  {
    type: 'CHARGED_TWICE',
    pattern:
      /重复扣款|重复扣费|重复支付|重复付款|扣了(?:两|2|二)次|扣款(?:两|2)次|扣(?:两|2)次|付了(?:两|2)次|支付了(?:两|2)次|扣了(?:两|2)笔|多扣了?|被扣了(?:两|2)次|charged\s*(?:me\s*)?(?:twice|two times|2 times|double)|double[-\s]?charged|duplicate\s*(?:charge|payment)|paid\s*twice/i,
  },
  {
    type: 'ACCOUNT_PROBLEM',
    pattern:
      /账号被盗|账户被盗|号被盗|被盗号|被盗了|被人盗|登录不了|登陆不了|登不上|登不进|无法登录|无法登陆|不能登录|密码被改|被改了密码|被别人登录|异地登录|账号被封|账号冻结|account\s*(?:was\s*|got\s*|has been\s*)?(?:stolen|compromised|locked|taken over)|can'?t\s*log\s*in|cannot\s*log\s*in|unable to log\s*in|can'?t\s*sign\s*in|password (?:was\s*)?changed/i,
  },
  {
    type: 'CARD_KEY_INVALID',
    pattern:
      /卡密(?:是|都是|也是)?(?:错的|假的|无效的|坏的|用过的)|卡密(?:显示|提示)?(?:无效|错误|不对|有误|失效|过期|已失效|已过期)|卡密(?:已经?|早就)?被(?:别人|他人|人)?(?:使用|用|兑换|充值)|卡密(?:已经?)?(?:使用过|用过|被用)|卡密(?:用不了|不能用|无法使用|充不进|兑换不了|兑换失败|激活不了|无法激活)|(?:提示|显示)(?:卡密)?(?:已被?使用|已被?兑换|无效|错误)|兑换失败|无法兑换|激活失败|卡号无效|密码错误|(?:invalid|wrong|bad)\s*(?:card\s*)?(?:key|code)|(?:key|code)\b[^.,!?;]{0,25}\b(?:is|was)\s*(?:invalid|wrong|not valid|expired|not working)|(?:key|code)\s*(?:is\s*|was\s*)?(?:invalid|not valid|wrong|expired)|(?:key|code)\s*(?:has\s*)?(?:already\s*)?(?:been\s*)?(?:used|redeemed)|already\s*(?:been\s*)?(?:used|redeemed)|(?:key|code)\s*(?:doesn'?t|does not|won'?t|didn'?t)\s*work/i,
  },
  {
    type: 'PAID_NOT_CREDITED',
    pattern:
      /未到账|没到账|卡密[^,，。.!！]{0,6}(?:不显示|没显示|不出来|没出来)|不给卡|不发卡|(?:got|received|get)\s*nothing|余额[^,，。.!！]{0,4}(?:还是|仍然|依然|仍是)\s?(?:0|零)|卡密[^,，。.!！]{0,6}(?:没|未)(?:有)?(?:发|给|到|收到|出来)|余额[^,，。.!！]{0,6}(?:没|未)(?:有)?(?:增加|变|加|到账|更新|动)|没有到账|不到账|还没到|没有到|没到|没收到|未收到|没有收到|收不到|没(?:有)?(?:给|发)(?:我)?卡密|没有?发货|未发货|不发货|没(?:有)?显示卡密|没(?:有)?出卡密|卡密(?:也)?没(?:有)?(?:发|给|出)|余额(?:没|未|并没|并未|都没|也没|还是|没有)(?:有)?(?:增加|变|变化|加|到|更新)|没(?:有)?加上|没充上|没有充上|没充进|充不上|未充值成功|没(?:有)?(?:任何)?反应|not\s*(?:been\s*)?(?:credited|received|delivered|arrived)|(?:didn'?t|did not|haven'?t|have not|never|hasn'?t|has not)\s*(?:get|got|receive|received|arrive|arrived|show|shown|show up|shown up|come|been credited|been delivered)|no\s*(?:card\s*)?(?:key|code)\s*(?:was\s*)?(?:sent|delivered|received|yet)|still\s*no\s*(?:card\s*)?(?:key|code|card)|balance\s*(?:didn'?t|did not|hasn'?t|has not|is not|isn'?t|still)\s*(?:change|changed|increase|increased|update|updated|go up|gone up|the same)|(?:is|are)\s*missing|nothing\s*(?:was\s*)?(?:delivered|credited|arrived)/i,
  },
];

/** The problem type by its tell-tale phrases; OTHER, with a low confidence, when none is found. */
export function extractProblemType(original: string, text: string): Extracted<ComplaintProblemType> | { value: 'OTHER'; confidence: number } {
  // Homophone typos buyers make with a pinyin keyboard, same length so the span holds.
  const typed = text.replace(/卡[秘蜜]/g, '卡密').replace(/到帐|道账|道帐/g, '到账');
  const found: { type: Exclude<ComplaintProblemType, 'OTHER'>; index: number; length: number }[] = [];
  for (const rule of RULES) {
    const m = rule.pattern.exec(typed);
    if (m) found.push({ type: rule.type, index: m.index, length: m[0].length });
  }
  if (found.length === 0) return { value: 'OTHER', confidence: 0.3 };
  const best = found[0];
  return { value: best.type, confidence: found.length === 1 ? 0.9 : 0.8, span: spanOf(original, best.index, best.index + best.length) };
}
