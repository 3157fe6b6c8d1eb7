/**
 * Everything that holds data or identity and must outlive any deployment of the code: the table and its key,
 * the host user pool and app client, the mail-sending identity. Retained when the stack is deleted; the
 * logical ids of these resources are pinned by a test, because a changed id means a replaced resource.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Data } from '../constructs/data.ts';
import { Identity } from '../constructs/identity.ts';
import { Mail } from '../constructs/mail.ts';

export interface StatefulStackProps extends StackProps {
  /** The domain Lockstay sends mail from. */
  readonly mailFromDomain: string;
}

export class StatefulStack extends Stack {
  readonly data: Data;
  readonly identity: Identity;
  readonly mail: Mail;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { mailFromDomain } = props;

    this.data = new Data(this, 'Data');
    this.identity = new Identity(this, 'Identity');
    this.mail = new Mail(this, 'Mail', { senderDomain: mailFromDomain });

    new CfnOutput(this, 'TableName', {
      description: 'The Lockstay DynamoDB table',
      value: this.data.table.tableName,
    });
    new CfnOutput(this, 'UserPoolId', {
      description: 'The host user pool',
      value: this.identity.userPool.userPoolId,
    });
    new CfnOutput(this, 'UserPoolClientId', {
      description: 'The app client hosts sign in through',
      value: this.identity.userPoolClient.userPoolClientId,
    });
    new CfnOutput(this, 'MailFrom', {
      description: 'Sender address of Lockstay mail; publish the DKIM records below for its domain',
      value: this.mail.mailFrom,
    });
    this.mail.identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `MailDkimRecord${index + 1}`, {
        description: `DKIM record ${index + 1} of 3 to publish in the DNS of ${mailFromDomain}`,
        value: `${record.name} CNAME ${record.value}`,
      });
    });
  }
}
