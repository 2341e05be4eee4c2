/**
 * The few classes of Meta's Business SDK (`facebook-nodejs-business-sdk`, a dev dependency without types of its
 * own) that the tests use to send a standard event to `/api/v1/conversions` as a shop's server would.
 */
declare module 'facebook-nodejs-business-sdk' {
  interface HttpService {
    executeRequest(
      url: string,
      method: string,
      headers: Record<string, string>,
      params: object,
    ): Promise<unknown>
  }
  export class UserData {
    setEmails(emails: string[]): this
    setPhones(phones: string[]): this
    setExternalId(id: string): this
    setClientIpAddress(ip: string): this
    setClientUserAgent(agent: string): this
    setFbc(fbc: string): this
    setFbp(fbp: string): this
    setFirstName(name: string): this
    setCity(city: string): this
  }
  export class Content {
    setId(id: string): this
    setQuantity(quantity: number): this
    setItemPrice(price: number): this
    setTitle(title: string): this
    setDeliveryCategory(category: string): this
  }
  export class CustomData {
    setContents(contents: Content[]): this
    setContentIds(ids: string[]): this
    setContentType(type: string): this
    setContentName(name: string): this
    setNumItems(n: number): this
    setOrderId(id: string): this
    setCurrency(currency: string): this
    setValue(value: number): this
  }
  export class ServerEvent {
    setEventName(name: string): this
    setEventTime(seconds: number): this
    setEventId(id: string): this
    setEventSourceUrl(url: string): this
    setActionSource(source: string): this
    setUserData(data: UserData): this
    setCustomData(data: CustomData): this
    setDataProcessingOptions(options: string[]): this
  }
  export class EventRequest {
    constructor(accessToken: string, pixelId: string)
    setEvents(events: ServerEvent[]): this
    setPartnerAgent(agent: string): this
    setTestEventCode(code: string): this
    setUploadTag(tag: string): this
    setHttpService(service: HttpService): this
    execute(): Promise<unknown>
  }
}
