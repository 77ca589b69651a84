import { createHash, createHmac } from 'node:crypto';
import type { AnyRequest } from './httpReply.js';

/** The key pair the emulator expects requests to be signed with. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Why a request's signature was refused: the error name, HTTP status and message AWS sends. */
export interface SignatureRejection {
  readonly name: 'MissingAuthenticationTokenException' | 'UnrecognizedClientException' | 'InvalidSignatureException';
  readonly status: number;
  readonly message: string;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const escape = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(query: string): string {
  if (!query) return '';
  return query
    .split('&')
    .map((pair) => pair.split('=', 2).map((p) => escape(decodeURIComponent(p ?? ''))))
    .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : (a[1] ?? '') < (b[1] ?? '') ? -1 : 1))
    .map(([k, v]) => `${k}=${v ?? ''}`)
    .join('&');
}

function headerValue(req: AnyRequest, name: string): string {
  const raw = name === 'host' ? (req.headers.host ?? req.headers[':authority']) : req.headers[name];
  const value = Array.isArray(raw) ? raw.join(',') : String(raw ?? '');
  return value.trim().replace(/\s+/g, ' ');
}

/**
 * Checks an AWS Signature Version 4 `authorization` header the way AWS does
 * (canonical request over the signed headers, the path escaped once more, the
 * body's SHA-256) against the one accepted key pair.
 *
 * @returns `undefined` when the signature is valid, else the rejection to send.
 */
export function verifySignature(req: AnyRequest, body: Buffer, credentials: SigningCredentials): SignatureRejection | undefined {
  const auth = req.headers.authorization;
  const m = typeof auth === 'string' ? AUTH.exec(auth) : null;
  const amzDate = req.headers['x-amz-date'];
  if (!m || typeof amzDate !== 'string')
    return { name: 'MissingAuthenticationTokenException', status: 403, message: 'Missing Authentication Token' };
  const [, keyId, date, region, service, signedHeaders, signature] = m as unknown as string[];
  if (keyId !== credentials.accessKeyId)
    return { name: 'UnrecognizedClientException', status: 403, message: 'The security token included in the request is invalid.' };
  const invalid: SignatureRejection = {
    name: 'InvalidSignatureException',
    status: 403,
    message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  };
  const bodyHash = sha256(body);
  const declared = req.headers['x-amz-content-sha256'];
  if (typeof declared === 'string' && declared !== 'UNSIGNED-PAYLOAD' && declared !== bodyHash) return invalid;
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const names = signedHeaders!.split(';');
  const canonical = [
    req.method ?? 'POST',
    path.split('/').map(escape).join('/'),
    canonicalQuery(q < 0 ? '' : url.slice(q + 1)),
    names.map((n) => `${n}:${headerValue(req, n)}\n`).join(''),
    signedHeaders,
    typeof declared === 'string' ? declared : bodyHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonical)}`;
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date!), region!), service!), 'aws4_request');
  return hmac(key, toSign).toString('hex') === signature ? undefined : invalid;
}
