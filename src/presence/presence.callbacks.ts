import { dedupeKeyOf, defineCommand, timed, timePart } from '../webhook/commands/callback-command.js';
import { defineCallbackFamily } from '../webhook/commands/callback-family.js';
import { StateChangeDto } from './callbacks/state-change.dto.js';
import { UserStateChangedEvent } from './events/user-state-changed.event.js';

/** Online status: `State.StateChange`. */
export const PRESENCE_CALLBACKS = defineCallbackFamily({
  name: 'presence',
  commands: [
    defineCommand({
      command: 'State.StateChange',
      dto: StateChangeDto,
      dedupeKey: (c, receivedAt) => dedupeKeyOf(c.CallbackCommand, c.Info.To_Account, timePart(c.EventTime, receivedAt), c.Info.Action),
      toEvent: (c, raw, metadata) => ({
        name: UserStateChangedEvent.eventName,
        payload: new UserStateChangedEvent({
          userId: c.Info.To_Account,
          action: c.Info.Action,
          online: c.Info.Action === 'Login',
          reason: c.Info.Reason,
          kickedDevices: (c.KickedDevice ?? []).map((device) => ({ platform: device.Platform })),
          ...timed(c.EventTime, metadata),
          raw,
        }),
      }),
    }),
  ],
  beforeCommands: [],
  events: [UserStateChangedEvent],
});
