/**
 * How Lockstay sends mail (guest links, alerts): an SES v2 domain identity with Easy DKIM for the sender
 * domain. It lives with the stateful resources because the DNS records an operator publishes for it (the DKIM
 * CNAMEs) belong to this very identity: recreating it would mean new records and mail failing meanwhile.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { DkimIdentity, EmailIdentity, Identity as SesIdentity } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  /** The domain mail is sent from, e.g. `lockstay.example`; its owner publishes the DKIM records. */
  readonly senderDomain: string;
  /**
   * The part before the `@` of the sender address.
   * @default 'no-reply'
   */
  readonly senderLocalPart?: string;
}

export class Mail extends Construct {
  readonly identity: EmailIdentity;
  /** The sender address, e.g. `no-reply@lockstay.example`. */
  readonly mailFrom: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    const { senderDomain, senderLocalPart = 'no-reply' } = props;

    this.identity = new EmailIdentity(this, 'SenderDomain', {
      identity: SesIdentity.domain(senderDomain),
      dkimIdentity: DkimIdentity.easyDkim(),
    });
    this.identity.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.mailFrom = `${senderLocalPart}@${senderDomain}`;
  }
}
