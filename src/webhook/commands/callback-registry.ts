import { Injectable } from '@nestjs/common';
import { BEFORE_COMMANDS, type BeforeCommandDefinition } from '../../decisions/before-commands.js';
import type { CallbackCommandDefinition } from './callback-command.js';
import { CALLBACK_COMMANDS } from './callback-commands.js';

/** Every command the project models: "after" commands become domain events, "before" commands decisions. */
@Injectable()
export class CallbackRegistry {
  private readonly byCommand = new Map(CALLBACK_COMMANDS.map((definition) => [definition.command, definition]));
  private readonly beforeByCommand = new Map<string, BeforeCommandDefinition>(BEFORE_COMMANDS.map((definition) => [definition.command, definition]));

  find(command: string): CallbackCommandDefinition<object> | undefined {
    return this.byCommand.get(command);
  }

  findBefore(command: string): BeforeCommandDefinition | undefined {
    return this.beforeByCommand.get(command);
  }

  commands(): string[] {
    return [...this.byCommand.keys(), ...this.beforeByCommand.keys()];
  }
}
