import { Hono } from 'hono'
import { cognitoAuth } from '../src/hono/index.ts'
const app = new Hono()
app.use('/api/*', cognitoAuth({ pool: { userPoolId: 'us-east-1_AbC123', clientId: 'x' } }))
app.get('/', (c) => c.text('ok'))
export default app
