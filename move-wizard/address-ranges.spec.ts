import { isLoopbackAddress, isPublicAddress } from './address-ranges'

describe('isPublicAddress', () => {
  it('refuses every IANA special-purpose IPv4 block', () => {
    const special = [
      '0.0.0.0', '0.255.1.2', // this network
      '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', // private
      '100.64.0.1', '100.127.255.254', // carrier-grade NAT
      '127.0.0.1', '127.255.255.254', // loopback
      '169.254.169.254', // link-local (cloud metadata)
      '192.0.0.1', '192.0.0.170', // IETF protocol assignments
      '192.0.2.1', '198.51.100.7', '203.0.113.9', // documentation
      '192.88.99.1', // 6to4 relay anycast
      '198.18.0.1', '198.19.255.255', // benchmarking
      '224.0.0.1', '239.255.255.250', // multicast
      '240.0.0.1', '255.255.255.254', // reserved
      '255.255.255.255' // broadcast
    ]
    for (const address of special) expect([address, isPublicAddress(address)]).toEqual([address, false])
  })

  it('refuses every IPv6 special block and every spelling of loopback', () => {
    const special = [
      '::1', '0:0:0:0:0:0:0:1', '0000:0000:0000:0000:0000:0000:0000:0001', '::0:1', '[::1]', '::1%lo',
      '::', // unspecified
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', // IPv4-mapped
      '::127.0.0.1', '::8.8.8.8', // IPv4-compatible (deprecated)
      '64:ff9b::7f00:1', '64:ff9b::808:808', '64:ff9b:1::1', // NAT64
      '2002:7f00:1::1', '2002:808:808::1', // 6to4
      '2001::1', // Teredo
      '2001:db8::1', // documentation
      '2001:10::1', '2001:20::1', // ORCHID
      '100::1', // discard
      'fc00::1', 'fd12:3456::1', // unique local
      'fe80::1', 'fe80::1%eth0', // link-local
      'ff02::1', 'ff05::1:3' // multicast
    ]
    for (const address of special) expect([address, isPublicAddress(address)]).toEqual([address, false])
  })

  it('accepts public unicast addresses, mapped ones included', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '198.20.0.1', '2a01:4f8::1', '2001:4860:4860::8888', '::ffff:93.184.216.34']) {
      expect([address, isPublicAddress(address)]).toEqual([address, true])
    }
  })

  it('refuses what is not an address', () => {
    for (const text of ['', 'localhost', 'example.com', '1.2.3', '::g', '999.1.1.1']) expect(isPublicAddress(text)).toBe(false)
  })
})

describe('isLoopbackAddress', () => {
  it('knows loopback in both families', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '0:0::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(address)).toBe(true)
    for (const address of ['10.0.0.1', '93.184.216.34', '::2', 'localhost']) expect(isLoopbackAddress(address)).toBe(false)
  })
})
