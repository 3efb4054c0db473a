// Minimal, linear HTML helpers for e-mail bodies: link targets, link texts and visible text.

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

export interface HtmlLink {
  target: string;
  text: string;
}

const TAG = /<(a|area|form)\b([^>]*)>/gi;
const ATTR = /(?:^|\s)(href|action)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;

/** Visible text: <style>/<script> dropped, tags replaced by spaces, entities decoded. */
export function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const a = lower.indexOf('<style', from);
    const b = lower.indexOf('<script', from);
    const start = a < 0 ? b : b < 0 ? a : Math.min(a, b);
    if (start < 0) break;
    const closeTag = start === a ? '</style' : '</script';
    const end = lower.indexOf(closeTag, start);
    parts.push(html.slice(from, start));
    if (end < 0) {
      from = html.length;
      break;
    }
    from = end + closeTag.length;
  }
  parts.push(html.slice(from));
  return decodeEntities(parts.join(' ').replace(/<[^>]*>/g, ' '));
}

/** href of <a>/<area> and action of <form>, with the text of each <a>. */
export function htmlLinks(html: string): HtmlLink[] {
  const links: HtmlLink[] = [];
  const lower = html.toLowerCase();
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    const attr = ATTR.exec(m[2] ?? '');
    if (!attr) continue;
    const target = decodeEntities(attr[2] ?? attr[3] ?? attr[4] ?? '').trim();
    let text = '';
    if (m[1]!.toLowerCase() === 'a') {
      const close = lower.indexOf('</a', TAG.lastIndex);
      if (close >= 0 && close - TAG.lastIndex < 4096) text = htmlToText(html.slice(TAG.lastIndex, close)).trim();
    }
    if (target) links.push({ target, text });
  }
  return links;
}
