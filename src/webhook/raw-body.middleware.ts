import { Injectable, PayloadTooLargeException, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../config/app-config.js';

// Past this, stop reading an oversized body and let the connection close instead.
const DRAIN_LIMIT_FACTOR = 16;

/**
 * Reads the webhook body as bytes, whatever the content-type, so that JSON errors and the size
 * limit are answered in our envelope (Express' body parsers answer them in HTML). The app is
 * created with `bodyParser: false` (see create-app.ts).
 */
@Injectable()
export class RawBodyMiddleware implements NestMiddleware {
  constructor(private readonly config: AppConfig) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (Buffer.isBuffer(req.body)) return next();
    if (req.readableEnded) {
      throw new Error('The request body was consumed before the webhook read it: create the app with { bodyParser: false }');
    }
    const body = await readBody(req, res, this.config.bodyLimitBytes);
    if (body === undefined) throw new PayloadTooLargeException(`body is larger than ${this.config.bodyLimitBytes} bytes`);
    req.body = body;
    next();
  }
}

/** The body, or undefined when it is larger than `limit` (read to its end, or up to a bound, to answer cleanly). */
function readBody(req: Request, res: Response, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit * DRAIN_LIMIT_FACTOR) {
        finish();
        res.setHeader('Connection', 'close');
        req.pause();
        resolve(undefined);
      }
    };
    const onEnd = (): void => {
      finish();
      resolve(size > limit ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      finish();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
