/** A request id as the proxy accepts it from a front proxy (and logs it): short and plain. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;
