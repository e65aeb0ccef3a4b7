import { Equals, IsOptional } from 'class-validator';
import { IsIntegerOrNumericString, IsStorableString } from '../../webhook/dto/validators.js';

// The Official Account profile callbacks. EventTime (milliseconds) orders them (older payloads
// without it are timed by their receipt, see timed()); Operator_Account
// is passed through to the events only, so it may be absent.

/** `OfficialAccount.CallbackAfterCreateOfficialAccount`. */
export class OfficialAccountAfterCreateDto {
  @Equals('OfficialAccount.CallbackAfterCreateOfficialAccount')
  CallbackCommand!: 'OfficialAccount.CallbackAfterCreateOfficialAccount';

  @IsStorableString()
  Official_Account!: string;

  @IsOptional()
  @IsStorableString()
  Operator_Account?: string;

  @IsStorableString()
  Owner_Account!: string;

  @IsStorableString()
  Name!: string;

  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}

/** `OfficialAccount.CallbackAfterOfficialAccountInfoChanged`: the profile fields present are the changed ones. */
export class OfficialAccountAfterInfoChangedDto {
  @Equals('OfficialAccount.CallbackAfterOfficialAccountInfoChanged')
  CallbackCommand!: 'OfficialAccount.CallbackAfterOfficialAccountInfoChanged';

  @IsStorableString()
  Official_Account!: string;

  @IsOptional()
  @IsStorableString()
  Operator_Account?: string;

  @IsOptional()
  @IsStorableString()
  Name?: string;

  /** May be emptied. */
  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  FaceUrl?: string;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  Introduction?: string;

  @IsOptional()
  @IsStorableString({ allowEmpty: true })
  Organization?: string;

  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}

/** `OfficialAccount.CallbackAfterOfficialAccountDestroyed`. */
export class OfficialAccountAfterDestroyedDto {
  @Equals('OfficialAccount.CallbackAfterOfficialAccountDestroyed')
  CallbackCommand!: 'OfficialAccount.CallbackAfterOfficialAccountDestroyed';

  @IsStorableString()
  Official_Account!: string;

  @IsOptional()
  @IsStorableString()
  Owner_Account?: string;

  @IsOptional()
  @IsStorableString()
  Name?: string;

  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}

/** `OfficialAccount.CallbackAfterOfficialAccountFull`: the subscriber limit was reached. */
export class OfficialAccountAfterFullDto {
  @Equals('OfficialAccount.CallbackAfterOfficialAccountFull')
  CallbackCommand!: 'OfficialAccount.CallbackAfterOfficialAccountFull';

  @IsStorableString()
  Official_Account!: string;

  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}
