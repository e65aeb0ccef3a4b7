// Tencent's message elements (protocol reference section 5). MsgType is an open set: an element
// type not listed here arrives as `UnknownMessageElement`, exactly as it was sent.

export interface TextElement { MsgType: 'TIMTextElem'; MsgContent: { Text: string } }
export interface LocationElement { MsgType: 'TIMLocationElem'; MsgContent: { Desc?: string; Latitude: number; Longitude: number } }
export interface FaceElement { MsgType: 'TIMFaceElem'; MsgContent: { Index: number; Data?: string } }
export interface CustomElement { MsgType: 'TIMCustomElem'; MsgContent: { Data: string; Desc?: string; Ext?: string; Sound?: string } }
export interface SoundElement {
  MsgType: 'TIMSoundElem';
  MsgContent: { Url?: string; UUID?: string; Size?: number; Second?: number; Download_Flag?: number };
}
export interface ImageElement {
  MsgType: 'TIMImageElem';
  MsgContent: {
    UUID?: string;
    ImageFormat?: number;
    ImageInfoArray?: { Type: number; Size?: number; Width?: number; Height?: number; URL?: string }[];
  };
}
export interface FileElement {
  MsgType: 'TIMFileElem';
  MsgContent: { Url?: string; UUID?: string; FileSize?: number; FileName?: string; Download_Flag?: number };
}
export interface VideoFileElement {
  MsgType: 'TIMVideoFileElem';
  MsgContent: {
    VideoUrl?: string; VideoUUID?: string; VideoSize?: number; VideoSecond?: number; VideoFormat?: string;
    VideoDownloadFlag?: number; ThumbUrl?: string; ThumbUUID?: string; ThumbSize?: number; ThumbWidth?: number;
    ThumbHeight?: number; ThumbFormat?: string; ThumbDownloadFlag?: number;
  };
}
export interface RelayElement {
  MsgType: 'TIMRelayElem';
  MsgContent: {
    Title?: string; MsgNum?: number; CompatibleText?: string; AbstractList?: string[];
    MsgList?: Record<string, unknown>[]; JsonMsgKey?: string;
  };
}
export interface UnknownMessageElement { MsgType: string; MsgContent: Record<string, unknown> }

export type MessageElement =
  | TextElement | LocationElement | FaceElement | CustomElement | SoundElement | ImageElement
  | FileElement | VideoFileElement | RelayElement | UnknownMessageElement;

/** `MsgBody` as received. */
export type MessageBody = MessageElement[];
