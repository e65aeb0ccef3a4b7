import { Injectable } from '@nestjs/common';
import type { CallbackCommandDefinition } from './callback-command.js';
import { CALLBACK_COMMANDS } from './callback-commands.js';

@Injectable()
export class CallbackRegistry {
  private readonly byCommand = new Map(CALLBACK_COMMANDS.map((definition) => [definition.command, definition]));

  find(command: string): CallbackCommandDefinition<object> | undefined {
    return this.byCommand.get(command);
  }

  commands(): string[] {
    return [...this.byCommand.keys()];
  }
}
