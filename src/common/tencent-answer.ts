/** The answer body Tencent expects from every callback. */
export interface TencentAnswer {
  ActionStatus: 'OK' | 'FAIL';
  ErrorCode: number;
  ErrorInfo: string;
}

export const ACK: TencentAnswer = Object.freeze({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });

export const failure = (errorInfo: string): TencentAnswer => ({ ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: errorInfo });
