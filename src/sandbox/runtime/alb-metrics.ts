/**
 * What the ALB proxy counts for CloudWatch (AWS/ApplicationELB), per (load balancer, target group),
 * and the error pages it answers with, worded as ALB's (`Server: awselb/2.0`).
 */
export interface AlbCounters {
  /** RequestCount: requests the load balancer processed (including those it answered itself). */
  requestCount: number;
  /** HTTPCode_ELB_5XX_Count and the per-code counts. */
  elb5xx: number;
  elb502: number;
  elb503: number;
  elb504: number;
  /** HTTPCode_ELB_4XX_Count (e.g. fixed responses with a 4xx code). */
  elb4xx: number;
  /** HTTPCode_Target_2XX_Count … 5XX. */
  target2xx: number;
  target3xx: number;
  target4xx: number;
  target5xx: number;
  /** TargetResponseTime: sum of seconds from sending to a target until its response headers, and how many. */
  targetResponseTimeSum: number;
  targetResponseTimeCount: number;
}

export interface AlbMetricsEntry extends AlbCounters {
  region: string;
  loadBalancerArn: string;
  /** Undefined for requests not routed to a target group. */
  targetGroupArn?: string;
}

export const newCounters = (): AlbCounters => ({
  requestCount: 0,
  elb5xx: 0,
  elb502: 0,
  elb503: 0,
  elb504: 0,
  elb4xx: 0,
  target2xx: 0,
  target3xx: 0,
  target4xx: 0,
  target5xx: 0,
  targetResponseTimeSum: 0,
  targetResponseTimeCount: 0,
});

/** Cumulative counters keyed by load balancer, then target group; cheap to update (no key built per request). */
export class AlbMetrics {
  private readonly byLb = new Map<string, Map<string, AlbMetricsEntry>>();

  counters(region: string, lbArn: string, tgArn: string | undefined): AlbCounters {
    let tgs = this.byLb.get(lbArn);
    if (!tgs) {
      tgs = new Map();
      this.byLb.set(lbArn, tgs);
    }
    const key = tgArn ?? '';
    let e = tgs.get(key);
    if (!e) {
      e = { region, loadBalancerArn: lbArn, targetGroupArn: tgArn, ...newCounters() };
      tgs.set(key, e);
    }
    return e;
  }

  /** A snapshot (copies) of every counter set. */
  snapshot(): AlbMetricsEntry[] {
    const out: AlbMetricsEntry[] = [];
    for (const tgs of this.byLb.values()) for (const e of tgs.values()) out.push({ ...e });
    return out;
  }

  forget(lbArn: string): void {
    this.byLb.delete(lbArn);
  }
}

export function countTargetStatus(c: AlbCounters, status: number): void {
  if (status >= 500) c.target5xx++;
  else if (status >= 400) c.target4xx++;
  else if (status >= 300) c.target3xx++;
  else if (status >= 200) c.target2xx++;
}

export const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Time-out',
  460: 'Client Closed Request',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** The HTML ALB sends with its own 4xx/5xx answers. */
export function errorPage(status: number): string {
  const title = `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

/** Counts one of the load balancer's own error answers. */
export function countElbError(c: AlbCounters, status: number): void {
  if (status >= 500) c.elb5xx++;
  else if (status >= 400) c.elb4xx++;
  if (status === 502) c.elb502++;
  else if (status === 503) c.elb503++;
  else if (status === 504) c.elb504++;
}
