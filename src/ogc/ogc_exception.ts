/**
 * Errors of OGC requests and their XML bodies. An OgcError is a TuilerieError
 * (so anything else that catches ours still works) that also carries the OGC
 * exception code, the parameter at fault (locator) and the HTTP status.
 * WMTS answers an OWS 1.1 ExceptionReport; WMS a ServiceExceptionReport
 * (1.3.0 namespaced, 1.1.1 plain).
 */
import { TuilerieError, type ErrorCode } from '../core/errors.js';
import { xmlEscape } from './xml_text.js';

/** Codes from OWS Common 1.1 / WMTS 1.0 (GetTile and GetFeatureInfo) and WMS 1.3.0 (Annex E) / 1.1.1. */
export type OgcExceptionCode =
  | 'MissingParameterValue'
  | 'InvalidParameterValue'
  | 'OperationNotSupported'
  | 'VersionNegotiationFailed'
  | 'TileOutOfRange'
  | 'NoApplicableCode'
  | 'InvalidFormat'
  | 'InvalidCRS'
  | 'InvalidSRS'
  | 'LayerNotDefined'
  | 'StyleNotDefined'
  | 'LayerNotQueryable'
  | 'InvalidPoint'
  | 'PointIJOutOfRange';

const STATUS: Record<OgcExceptionCode, number> = {
  MissingParameterValue: 400,
  InvalidParameterValue: 400,
  OperationNotSupported: 501,
  VersionNegotiationFailed: 400,
  TileOutOfRange: 400,
  NoApplicableCode: 500,
  InvalidFormat: 400,
  InvalidCRS: 400,
  InvalidSRS: 400,
  LayerNotDefined: 400,
  StyleNotDefined: 400,
  LayerNotQueryable: 400,
  InvalidPoint: 400,
  PointIJOutOfRange: 400,
};

export class OgcError extends TuilerieError {
  readonly exceptionCode: OgcExceptionCode;
  readonly locator?: string;
  readonly status: number;

  constructor(exceptionCode: OgcExceptionCode, message: string, opts: { locator?: string; status?: number; code?: ErrorCode } = {}) {
    const status = opts.status ?? STATUS[exceptionCode];
    super(opts.code ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'), message);
    this.name = 'OgcError';
    this.exceptionCode = exceptionCode;
    this.locator = opts.locator;
    this.status = status;
  }
}

/** Any error as an OgcError: ours keep their message, the rest become NoApplicableCode without detail. */
export function toOgcError(e: unknown): OgcError {
  if (e instanceof OgcError) return e;
  if (e instanceof TuilerieError) {
    if (e.code === 'OVERLOADED') return new OgcError('NoApplicableCode', e.message, { status: 503, code: 'OVERLOADED' });
    if (e.code === 'CANCELLED') return new OgcError('NoApplicableCode', e.message, { status: 499, code: 'CANCELLED' });
    if (e.code === 'TIMEOUT') return new OgcError('NoApplicableCode', e.message, { status: 504, code: 'TIMEOUT' });
    if (e.code === 'NOT_FOUND' || e.code === 'BAD_REQUEST' || e.code === 'TOO_BIG') return new OgcError('InvalidParameterValue', e.message);
  }
  return new OgcError('NoApplicableCode', 'internal server error');
}

/** OWS 1.1 ExceptionReport (WMTS). */
export function owsExceptionReport(e: OgcError): string {
  const locator = e.locator ? ` locator="${xmlEscape(e.locator)}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<ExceptionReport xmlns="http://www.opengis.net/ows/1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.opengis.net/ows/1.1 http://schemas.opengis.net/ows/1.1.0/owsExceptionReport.xsd" version="1.0.0" xml:lang="en">
  <Exception exceptionCode="${e.exceptionCode}"${locator}>
    <ExceptionText>${xmlEscape(e.message)}</ExceptionText>
  </Exception>
</ExceptionReport>
`;
}

/** WMS ServiceExceptionReport; 1.1.1 calls InvalidCRS InvalidSRS. */
export function wmsExceptionReport(e: OgcError, version: '1.3.0' | '1.1.1'): string {
  let code: string = e.exceptionCode;
  if (version === '1.1.1' && code === 'InvalidCRS') code = 'InvalidSRS';
  if (version === '1.3.0' && code === 'InvalidSRS') code = 'InvalidCRS';
  const locator = e.locator ? ` locator="${xmlEscape(e.locator)}"` : '';
  const root = version === '1.3.0'
    ? '<ServiceExceptionReport version="1.3.0" xmlns="http://www.opengis.net/ogc" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.opengis.net/ogc http://schemas.opengis.net/wms/1.3.0/exceptions_1_3_0.xsd">'
    : '<ServiceExceptionReport version="1.1.1">';
  return `<?xml version="1.0" encoding="UTF-8"?>
${root}
  <ServiceException code="${code}"${locator}>${xmlEscape(e.message)}</ServiceException>
</ServiceExceptionReport>
`;
}
