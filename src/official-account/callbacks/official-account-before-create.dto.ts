import { Equals, IsOptional } from 'class-validator';
import { IsIntegerOrNumericString, IsStorableString } from '../../webhook/dto/validators.js';

/** `OfficialAccount.CallbackBeforeCreateOfficialAccount`: someone is about to create an Official Account. */
export class OfficialAccountBeforeCreateDto {
  @Equals('OfficialAccount.CallbackBeforeCreateOfficialAccount')
  CallbackCommand!: 'OfficialAccount.CallbackBeforeCreateOfficialAccount';

  @IsStorableString()
  Operator_Account!: string;

  @IsStorableString()
  Owner_Account!: string;

  @IsStorableString({ allowEmpty: true })
  Name!: string;

  @IsOptional()
  @IsIntegerOrNumericString()
  EventTime?: number | string;
}
