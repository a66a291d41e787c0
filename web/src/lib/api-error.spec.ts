import { ApiError, fieldErrorsOf, toApiError } from './api-error';

describe('toApiError', () => {
  it('keeps the server code, Chinese message and field errors', () => {
    const e = toApiError(400, {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: '请求参数有误：reason',
      details: [
        { field: 'reason', message: '请填写原因' },
        { field: 'reason', message: '第二条' },
      ],
    });
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message]).toEqual([400, 'VALIDATION_FAILED', '请求参数有误：reason']);
    expect(fieldErrorsOf(e)).toEqual({ reason: '请填写原因' });
  });

  it('gives a Chinese message for bodies that are not the API error shape', () => {
    expect(toApiError(502, '<html>bad gateway</html>').message).toBe('服务器暂时无法处理，请稍后再试');
    expect(toApiError(404, null).message).toBe('请求失败（404）');
  });
});
