import { readJobMessage, JobMessageError } from './job-message'

describe('reading the konnector job message', () => {
  it('takes the archive file id, the selection and the folder from COZY_FIELDS', () => {
    const message = readJobMessage({
      COZY_FIELDS: JSON.stringify({ konnector: 'ent-import', fileId: 'abc', selection: ['workspace', 'blog', 3], folder_to_save: 'dir1', extra: true })
    })
    expect(message).toEqual({ konnector: 'ent-import', fileId: 'abc', selection: ['workspace', 'blog'], folder_to_save: 'dir1' })
  })

  it('keeps the import id, the trash choice and the continuation number', () => {
    const message = readJobMessage({ COZY_FIELDS: JSON.stringify({ fileId: 'abc', importId: 'imp1', includeTrash: true, continuation: 2 }) })
    expect(message).toEqual({ konnector: 'ent-import', fileId: 'abc', importId: 'imp1', includeTrash: true, continuation: 2 })
  })

  it('accepts a watched-folder message without an archive', () => {
    expect(readJobMessage({ COZY_FIELDS: JSON.stringify({ konnector: 'ent-import', watch: true }) })).toEqual({ konnector: 'ent-import', watch: true })
  })

  it('takes a run from Home (its account and folder, no archive) as a message without an archive', () => {
    expect(readJobMessage({ COZY_FIELDS: JSON.stringify({ account: 'acc', folder_to_save: 'dir' }) })).toEqual({ konnector: 'ent-import', folder_to_save: 'dir' })
    expect(readJobMessage({ COZY_FIELDS: undefined })).toEqual({ konnector: 'ent-import' })
    expect(readJobMessage({ COZY_FIELDS: '{"fileId":""}' })).toEqual({ konnector: 'ent-import' })
  })

  it.each([
    ['invalid JSON', '{fileId:', 'UNKNOWN_ERROR.BAD_JOB_MESSAGE'],
    ['a JSON string', '"abc"', 'UNKNOWN_ERROR.BAD_JOB_MESSAGE'],
    ['a JSON array', '["abc"]', 'UNKNOWN_ERROR.BAD_JOB_MESSAGE']
  ])('refuses %s with a konnector error code', (_label, fields, code) => {
    expect(() => readJobMessage({ COZY_FIELDS: fields })).toThrow(new JobMessageError(code))
  })
})
