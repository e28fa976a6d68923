import { readJobMessage, JobMessageError } from './job-message'

describe('reading the konnector job message', () => {
  it('takes the archive file id, the selection and the folder from COZY_FIELDS', () => {
    const message = readJobMessage({
      COZY_FIELDS: JSON.stringify({ fileId: 'abc', selection: ['workspace', 'blog', 3], folder_to_save: 'dir1', extra: true })
    })
    expect(message).toEqual({ fileId: 'abc', selection: ['workspace', 'blog'], folder_to_save: 'dir1', importId: undefined })
  })

  it.each([
    ['no fields at all', undefined, 'UNKNOWN_ERROR.NO_ARCHIVE'],
    ['invalid JSON', '{fileId:', 'UNKNOWN_ERROR.BAD_JOB_MESSAGE'],
    ['a JSON string', '"abc"', 'UNKNOWN_ERROR.BAD_JOB_MESSAGE'],
    ['an empty file id', '{"fileId":""}', 'UNKNOWN_ERROR.NO_ARCHIVE']
  ])('refuses %s with a konnector error code', (_label, fields, code) => {
    expect(() => readJobMessage({ COZY_FIELDS: fields })).toThrow(new JobMessageError(code))
  })
})
