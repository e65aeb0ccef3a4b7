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
    const limit = this.config.bodyLimitBytes;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit * DRAIN_LIMIT_FACTOR) {
        res.setHeader('Connection', 'close');
        break;
      }
    }
    if (size > limit) throw new PayloadTooLargeException(`body is larger than ${limit} bytes`);
    req.body = Buffer.concat(chunks, size);
    next();
  }
}
