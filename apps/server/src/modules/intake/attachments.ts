import { extractEml, extractIocs } from '@renkei/core/ioc/index';
import { detectType } from '../../platform/files/detect.ts';
import { type ExtractedValue, fromFindings } from './observables.ts';

export interface IncomingFile {
  name: string;
  declaredType: string | null;
  data: Buffer;
}

const ALLOWED_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/heic',
  'image/heif',
  'image/bmp',
  'image/tiff',
  'image/avif',
  'application/pdf',
]);
const ARCHIVES = new Set([
  'application/zip',
  'application/gzip',
  'application/x-7z-compressed',
  'application/x-rar-compressed',
  'application/vnd.rar',
  'application/x-tar',
  'application/x-bzip2',
  'application/x-xz',
]);
const TEXT_SCAN_LIMIT = 1024 * 1024;

function looksLikeEml(name: string, declared: string | null, data: Buffer): boolean {
  if (/\.eml$/i.test(name) || declared === 'message/rfc822') return true;
  const head = data.subarray(0, 2048).toString('latin1');
  return /^(Received|Return-Path|From|Message-ID|Delivered-To|MIME-Version):/im.test(head) && /\r?\n\r?\n/.test(head);
}

function isUtf8Text(data: Buffer): boolean {
  const sample = data.subarray(0, 64 * 1024);
  if (sample.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample);
    return true;
  } catch {
    // a cut multi-byte character at the end of the sample is fine
    return sample.length === 64 * 1024;
  }
}

export interface AnalysedFile extends IncomingFile {
  detectedType: string | null;
  flags: string[];
  values: ExtractedValue[];
  text: string;
}

/**
 * Magic-byte check and extraction of one attachment. Never throws: hostile files (broken MIME, huge headers,
 * nested messages, archives — never expanded) are kept and flagged.
 */
export async function analyseFile(f: IncomingFile): Promise<AnalysedFile> {
  const flags: string[] = [];
  let detectedType: string | null = null;
  try {
    detectedType = await detectType(f.data.subarray(0, 64 * 1024));
  } catch {
    flags.push('type_unreadable');
  }
  let values: ExtractedValue[] = [];
  let text = '';
  if (detectedType === null && looksLikeEml(f.name, f.declaredType, f.data)) {
    try {
      const eml = await extractEml(f.data);
      values = fromFindings(eml.findings, 'eml');
      text = eml.subject;
      if (eml.forwarded) flags.push('forwarded_message');
    } catch {
      flags.push('eml_unreadable');
    }
  } else if (detectedType === null) {
    if (isUtf8Text(f.data)) {
      text = f.data.subarray(0, TEXT_SCAN_LIMIT).toString('utf8');
      try {
        values = fromFindings(extractIocs(text, { snippets: false }), 'attachment');
      } catch {
        flags.push('text_unreadable');
      }
      if (f.data.length > TEXT_SCAN_LIMIT) flags.push('text_truncated');
    } else {
      flags.push('type_unknown');
    }
  } else if (ARCHIVES.has(detectedType)) {
    flags.push('archive_not_expanded');
  } else if (!ALLOWED_TYPES.has(detectedType)) {
    flags.push('type_not_allowed');
  }
  if (
    f.declaredType &&
    detectedType &&
    f.declaredType !== detectedType &&
    f.declaredType !== 'application/octet-stream'
  )
    flags.push('type_mismatch');
  return { ...f, detectedType, flags, values, text };
}
