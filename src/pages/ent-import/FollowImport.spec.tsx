import React from 'react'
import { render, screen } from '@testing-library/react'
import { AppLike } from '../../../test/AppLike'
import { mockCozyClient as mockStackClient, jsonApiDoc } from '../../stack-client/testing/mock-stack-client'
import { FollowImport } from './FollowImport'
import frJson from '../../../locales/fr.json'
import { plainSpaces } from '../../stack-client/testing/plain-spaces'

const fr = plainSpaces(frJson)

beforeAll(() => Object.assign(window, { WebSocket: undefined }))

const queued = {
  _id: 'imp1',
  _rev: '2-a',
  state: 'queued',
  jobId: 'job1',
  archive: { fileId: 'f1', name: 'mes-donnees.zip', size: 10, exportId: null, exportedAt: null },
  apps: [],
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString()
}

describe('FollowImport', () => {
  it('names the missing konnector when its job errored with app.ErrNotFound (worker/exec/konnector.go)', async () => {
    const { client } = mockStackClient({
      'GET /data/io.cozy.mesdonnees.imports/imp1': { body: queued },
      'GET /jobs/job1': jsonApiDoc('io.cozy.jobs', 'job1', { worker: 'konnector', state: 'errored', error: 'Application is not installed' })
    })
    render(<AppLike client={client}><FollowImport importId="imp1" /></AppLike>)
    expect(await screen.findByText(fr.entImport.errors.konnectorMissing)).toBeInTheDocument()
    expect(screen.queryByText(/Application is not installed/)).toBeNull()
  })

  it('shows any other job error as the stack wrote it', async () => {
    const { client } = mockStackClient({
      'GET /data/io.cozy.mesdonnees.imports/imp1': { body: queued },
      'GET /jobs/job1': jsonApiDoc('io.cozy.jobs', 'job1', { worker: 'konnector', state: 'errored', error: 'context deadline exceeded' })
    })
    render(<AppLike client={client}><FollowImport importId="imp1" /></AppLike>)
    expect(await screen.findByText(/context deadline exceeded/)).toBeInTheDocument()
  })
})
