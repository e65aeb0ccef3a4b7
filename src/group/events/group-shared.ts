// Value shapes several group events share.

/** A custom field given at creation (`UserDefinedDataList` entry). */
export interface GroupCustomField {
  readonly key: string;
  readonly value: string;
}

/** A group attribute (`GroupAttr` entry). */
export interface GroupAttribute {
  readonly key: string;
  readonly value: string;
}

/** Profile fields a group or topic change carries: only those sent are present. */
export interface GroupProfileChanges {
  readonly name?: string;
  readonly introduction?: string;
  readonly notification?: string;
  readonly faceUrl?: string;
}
