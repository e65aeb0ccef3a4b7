import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 500;

/** `?limit=`: an integer from 1 to 500, 50 when absent. */
@Injectable()
export class LimitPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    if (value === undefined || value === '') return DEFAULT_LIST_LIMIT;
    if (typeof value !== 'string' || !/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > MAX_LIST_LIMIT) {
      throw new BadRequestException(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
    }
    return Number(value);
  }
}
