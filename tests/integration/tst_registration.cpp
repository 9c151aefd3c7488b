// SPDX-License-Identifier: GPL-3.0-or-later
// Accounts made and ended from Natter against the test server (XEP-0077): a new account through the server's
// form, then logging in with it; a taken name, answers the server rejects and an invite-only server refused
// with the server's reason, the form sent again after a correction; an invitation (XEP-0401) that lets an
// account be made once; an untrusted certificate refused; a password change after which only the new
// password logs in; an account deleted on the server, after which it is gone there and from the profile.
#include "Contacts.h"
#include "OnlineAccount.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/CredentialStore.h"
#include "account/Invitation.h"
#include "account/LoginCheck.h"
#include "account/Registration.h"
#include "roster/ContactInvitation.h"
#include "roster/ContactInvite.h"
#include "roster/RosterService.h"
#include "roster/SubscriptionService.h"

#include <QDir>
#include <QImage>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTest>
#include <QUuid>
#include <QXmppOutgoingClient.h>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {
constexpr int NetworkTimeout = 20000;

QString freshName(const QString &prefix)
{
    return prefix + QUuid::createUuid().toString(QUuid::Id128).left(10);
}

QXmppDataForm answers(const QXmppDataForm &form, const QHash<QString, QString> &values)
{
    QXmppDataForm submission(QXmppDataForm::Submit);
    for (const QXmppDataForm::Field &field : form.fields()) {
        if (field.type() == QXmppDataForm::Field::FixedField)
            continue;
        QXmppDataForm::Field answer(field.type(), field.key(), field.value());
        if (values.contains(field.key()))
            answer.setValue(values.value(field.key()));
        submission.fields().append(answer);
    }
    return submission;
}

} // namespace

class tst_Registration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void theServersFormMakesAnAccountThatLogsIn();
    void aTakenNameIsRefusedAndTheCorrectedFormIsAccepted();
    void answersGoOutAfterTheServerClosedTheStream();
    void answersTheServerRejectsAreRefusedWithItsReason_data();
    void answersTheServerRejectsAreRefusedWithItsReason();
    void aCaptchaComesWithItsPictureAndNeedsTheRightText();
    void anInviteOnlyServerRefusesWithoutAnInvitation();
    void anInvitationMakesOneAccount();
    void anUnknownInvitationIsRefused();
    void anUntrustedServerIsRefused();
    void aTrustedCertificateLetsTheRegistrationGoOn();
    void aSelfSignedServerIsRefusedThenTrustedThenRefusedWhenChanged();
    void aContactInvitationMakesUsContactsAtOnce();
    void aChangedPasswordIsTheOnlyOneThatLogsIn();
    void anAccountDeletedOnTheServerIsGoneThereAndHere();

private:
    std::unique_ptr<Registration> registration(const QString &domain);
    // Waits for the form; empty when none came.
    std::optional<Registration::Form> formOf(Registration &registration);
    Error login(const QString &jid, const QString &password);
    AccountConfig serverConfig(const QString &domain) const;

    TestServer m_server;
    TestProfile m_profile;
    std::unique_ptr<AccountManager> m_manager;
};

void tst_Registration::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    m_manager = std::make_unique<AccountManager>(m_profile.path());
    m_manager->setAdditionalCaCertificates(m_server.caCertificates());
    QVERIFY(isOk(waitFor(m_manager->open())));
}

AccountConfig tst_Registration::serverConfig(const QString &domain) const
{
    AccountConfig config = m_server.accountConfig(QStringLiteral("x"));
    config.jid = domain;
    return config;
}

std::unique_ptr<Registration> tst_Registration::registration(const QString &domain)
{
    return std::unique_ptr<Registration>(m_manager->createRegistration(serverConfig(domain), nullptr));
}

std::optional<Registration::Form> tst_Registration::formOf(Registration &registration)
{
    QSignalSpy received(&registration, &Registration::formReceived);
    QSignalSpy failed(&registration, &Registration::failed);
    QSignalSpy refused(&registration, &Registration::refused);
    registration.requestForm();
    if (!QTest::qWaitFor([&] { return !received.isEmpty() || !failed.isEmpty() || !refused.isEmpty(); },
                         NetworkTimeout) ||
        received.isEmpty()) {
        qWarning() << "no form:" << failed << refused;
        return std::nullopt;
    }
    return received.first().first().value<Registration::Form>();
}

Error tst_Registration::login(const QString &jid, const QString &password)
{
    return tryLogin(*m_manager, m_server, jid, password);
}

void tst_Registration::theServersFormMakesAnAccountThatLogsIn()
{
    auto registration = this->registration(m_server.domain);
    const auto form = formOf(*registration);
    QVERIFY(form);
    // Prosody's data form: its username and password fields, both required.
    QStringList required;
    for (const QXmppDataForm::Field &field : form->form.fields())
        if (field.isRequired())
            required.append(field.key());
    QVERIFY2(required.contains(u"username") && required.contains(u"password"),
             qPrintable(required.join(u',')));

    QSignalSpy registered(registration.get(), &Registration::registered);
    const QString name = freshName(QStringLiteral("newcomer"));
    registration->submit(answers(form->form, {{QStringLiteral("username"), name},
                                              {QStringLiteral("password"), QStringLiteral("first-pw-1")}}));
    QVERIFY(registered.wait(NetworkTimeout));
    QCOMPARE(registered.first().at(0).toString(), name + u'@' + m_server.domain);
    QCOMPARE(registered.first().at(1).toString(), QStringLiteral("first-pw-1"));
    QVERIFY(!login(name + u'@' + m_server.domain, QStringLiteral("first-pw-1")).isError());
}

void tst_Registration::aTakenNameIsRefusedAndTheCorrectedFormIsAccepted()
{
    auto registration = this->registration(m_server.domain);
    const auto form = formOf(*registration);
    QVERIFY(form);
    QSignalSpy refused(registration.get(), &Registration::refused);
    QSignalSpy registered(registration.get(), &Registration::registered);
    registration->submit(answers(form->form, {{QStringLiteral("username"), QStringLiteral("alice")},
                                              {QStringLiteral("password"), QStringLiteral("whatever-1")}}));
    QVERIFY(refused.wait(NetworkTimeout));
    QCOMPARE(refused.first().at(0).value<Registration::Refusal>(), Registration::Refusal::UsernameTaken);
    QVERIFY2(refused.first().at(1).toString().contains(u"exists"),
             qPrintable(refused.first().at(1).toString()));
    // Alice's password still works: nothing was changed.
    QVERIFY(!login(m_server.jid(QStringLiteral("alice")), m_server.account(QStringLiteral("alice")).password)
                 .isError());

    const QString name = freshName(QStringLiteral("second"));
    registration->submit(answers(form->form, {{QStringLiteral("username"), name},
                                              {QStringLiteral("password"), QStringLiteral("second-pw-2")}}));
    QVERIFY(registered.wait(NetworkTimeout));
    QCOMPARE(registered.first().at(0).toString(), name + u'@' + m_server.domain);
}

void tst_Registration::answersGoOutAfterTheServerClosedTheStream()
{
    auto registration = this->registration(m_server.domain);
    const auto form = formOf(*registration);
    QVERIFY(form);
    // The stream ends while the form is being filled in (as a server's timeout for streams that never log in
    // would end it): nothing is reported yet.
    QSignalSpy failed(registration.get(), &Registration::failed);
    auto *stream = registration->findChild<QXmppOutgoingClient *>();
    QVERIFY(stream && stream->socket());
    stream->socket()->abort();
    QTRY_VERIFY(!registration->findChild<QXmppOutgoingClient *>());
    QVERIFY(failed.isEmpty());
    // The answers go out on a new stream, with no second form to fill in.
    QSignalSpy received(registration.get(), &Registration::formReceived);
    QSignalSpy registered(registration.get(), &Registration::registered);
    const QString name = freshName(QStringLiteral("patient"));
    registration->submit(answers(form->form, {{QStringLiteral("username"), name},
                                              {QStringLiteral("password"), QStringLiteral("pw-9")}}));
    QVERIFY(registered.wait(NetworkTimeout));
    QVERIFY(received.isEmpty());
    QVERIFY(failed.isEmpty());
    QVERIFY(!login(name + u'@' + m_server.domain, QStringLiteral("pw-9")).isError());
}

void tst_Registration::answersTheServerRejectsAreRefusedWithItsReason_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("reason");
    QTest::newRow("a name no address can have") << "no@such" << "pw-3" << "username is invalid";
    QTest::newRow("no password") << freshName(QStringLiteral("nopw")) << "" << "Password";
}

void tst_Registration::answersTheServerRejectsAreRefusedWithItsReason()
{
    QFETCH(QString, username);
    QFETCH(QString, password);
    QFETCH(QString, reason);
    auto registration = this->registration(m_server.domain);
    const auto form = formOf(*registration);
    QVERIFY(form);
    QSignalSpy refused(registration.get(), &Registration::refused);
    QSignalSpy registered(registration.get(), &Registration::registered);
    registration->submit(answers(
        form->form, {{QStringLiteral("username"), username}, {QStringLiteral("password"), password}}));
    QVERIFY(refused.wait(NetworkTimeout));
    QCOMPARE(refused.first().at(0).value<Registration::Refusal>(), Registration::Refusal::AnswersRejected);
    QVERIFY2(refused.first().at(1).toString().contains(reason), qPrintable(refused.first().at(1).toString()));
    QVERIFY(registered.isEmpty());
}

void tst_Registration::aCaptchaComesWithItsPictureAndNeedsTheRightText()
{
    auto registration = this->registration(m_server.captchaDomain);
    const auto form = formOf(*registration);
    QVERIFY(form);
    // The field's media element names the picture that came along as Bits of Binary, and it is a picture.
    QString uri;
    for (const QXmppDataForm::Field &field : form->form.fields())
        if (field.key() == u"ocr" && !field.mediaSources().isEmpty())
            uri = field.mediaSources().first().uri().toString();
    QVERIFY2(uri.startsWith(u"cid:sha1+"), qPrintable(uri));
    QVERIFY(form->media.contains(uri));
    QImage picture;
    QVERIFY(picture.loadFromData(form->media.value(uri)));
    QCOMPARE(picture.size(), QSize(120, 40));

    QSignalSpy refused(registration.get(), &Registration::refused);
    QSignalSpy registered(registration.get(), &Registration::registered);
    const QString name = freshName(QStringLiteral("human"));
    const QHash<QString, QString> values{{QStringLiteral("username"), name},
                                         {QStringLiteral("password"), QStringLiteral("pw-8")}};
    auto wrong = values;
    wrong.insert(QStringLiteral("ocr"), QStringLiteral("robot"));
    registration->submit(answers(form->form, wrong));
    QVERIFY(refused.wait(NetworkTimeout));
    QCOMPARE(refused.first().at(0).value<Registration::Refusal>(), Registration::Refusal::AnswersRejected);
    QVERIFY2(refused.first().at(1).toString().contains(u"picture"),
             qPrintable(refused.first().at(1).toString()));
    auto right = values;
    right.insert(QStringLiteral("ocr"), m_server.captchaAnswer);
    registration->submit(answers(form->form, right));
    QVERIFY(registered.wait(NetworkTimeout));
    QVERIFY(!login(name + u'@' + m_server.captchaDomain, QStringLiteral("pw-8")).isError());
}

void tst_Registration::anInviteOnlyServerRefusesWithoutAnInvitation()
{
    auto registration = this->registration(m_server.invitesDomain);
    const auto form = formOf(*registration);
    QVERIFY(form);
    QSignalSpy refused(registration.get(), &Registration::refused);
    const QString name = freshName(QStringLiteral("uninvited"));
    registration->submit(answers(form->form, {{QStringLiteral("username"), name},
                                              {QStringLiteral("password"), QStringLiteral("pw-4")}}));
    QVERIFY(refused.wait(NetworkTimeout));
    QVERIFY2(refused.first().at(1).toString().contains(u"invitation"),
             qPrintable(refused.first().at(1).toString()));
    QCOMPARE(login(name + u'@' + m_server.invitesDomain, QStringLiteral("pw-4")).code,
             Error::Code::AuthenticationFailed);
}

void tst_Registration::anInvitationMakesOneAccount()
{
    const auto link = m_server.createInvitation(m_server.invitesDomain);
    QVERIFY(link);
    const auto invitation = Invitation::parse(*link);
    QVERIFY2(invitation, qPrintable(*link));
    QCOMPARE(invitation->domain, m_server.invitesDomain);

    auto registration = this->registration(invitation->domain);
    registration->setInvitationToken(invitation->token);
    const auto form = formOf(*registration);
    QVERIFY(form);
    QSignalSpy registered(registration.get(), &Registration::registered);
    const QString name = freshName(QStringLiteral("invited"));
    registration->submit(answers(form->form, {{QStringLiteral("username"), name},
                                              {QStringLiteral("password"), QStringLiteral("pw-5")}}));
    QVERIFY(registered.wait(NetworkTimeout));
    QVERIFY(!login(name + u'@' + m_server.invitesDomain, QStringLiteral("pw-5")).isError());

    // Used once, it is spent.
    auto again = this->registration(invitation->domain);
    again->setInvitationToken(invitation->token);
    QSignalSpy refused(again.get(), &Registration::refused);
    QVERIFY(!formOf(*again));
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.first().at(0).value<Registration::Refusal>(), Registration::Refusal::InvitationInvalid);
}

void tst_Registration::anUnknownInvitationIsRefused()
{
    auto registration = this->registration(m_server.invitesDomain);
    registration->setInvitationToken(QStringLiteral("not-a-real-token"));
    QSignalSpy refused(registration.get(), &Registration::refused);
    QVERIFY(!formOf(*registration));
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.first().at(0).value<Registration::Refusal>(), Registration::Refusal::InvitationInvalid);
    QVERIFY2(refused.first().at(1).toString().contains(u"invalid"),
             qPrintable(refused.first().at(1).toString()));
}

void tst_Registration::anUntrustedServerIsRefused()
{
    auto registration = this->registration(m_server.rogueDomain);
    QSignalSpy failed(registration.get(), &Registration::failed);
    QVERIFY(!formOf(*registration));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().first().value<Error>().code, Error::Code::CertificateRejected);
}

void tst_Registration::aTrustedCertificateLetsTheRegistrationGoOn()
{
    // The certificate rogue.test presents, trusted for this registration only.
    const auto certificates =
        QSslCertificate::fromPath(m_server.stateDirectory() + QStringLiteral("/rogue.pem"));
    QVERIFY(!certificates.isEmpty());
    AccountConfig config = serverConfig(m_server.rogueDomain);
    config.pinnedCertificate = certificates.first().toDer();
    std::unique_ptr<Registration> registration(m_manager->createRegistration(config, nullptr));
    const auto form = formOf(*registration);
    QVERIFY(form);

    // Another certificate trusted instead: refused as changed.
    config.pinnedCertificate =
        QSslCertificate::fromPath(m_server.stateDirectory() + QStringLiteral("/server.pem")).value(0).toDer();
    registration.reset(m_manager->createRegistration(config, nullptr));
    QSignalSpy failed(registration.get(), &Registration::failed);
    QVERIFY(!formOf(*registration));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().first().value<Error>().code, Error::Code::CertificateChanged);
}

void tst_Registration::aSelfSignedServerIsRefusedThenTrustedThenRefusedWhenChanged()
{
    // selfsigned.test presents a certificate that signs itself (see prosody_fixture.py).
    const QString domain = QStringLiteral("selfsigned.test");
    const QString directory = m_server.stateDirectory();
    const QSslCertificate selfSigned =
        QSslCertificate::fromPath(directory + QStringLiteral("/selfsigned.pem")).value(0);
    QVERIFY(!selfSigned.isNull());
    QCOMPARE(selfSigned.issuerDisplayName(), selfSigned.subjectDisplayName());
    QVERIFY(selfSigned.isSelfSigned());

    // Refused, and the refusal carries the certificate for the user to inspect.
    auto untrusted = registration(domain);
    QSignalSpy failed(untrusted.get(), &Registration::failed);
    QVERIFY(!formOf(*untrusted));
    QCOMPARE(failed.size(), 1);
    const Error refusal = failed.first().first().value<Error>();
    QCOMPARE(refusal.code, Error::Code::CertificateRejected);
    QCOMPARE(refusal.certificate, selfSigned.toDer());
    QVERIFY2(refusal.detail.contains(u"self-signed"), qPrintable(refusal.detail));

    // Trusted, exactly that certificate: an account is created there and logs in.
    AccountConfig config = serverConfig(domain);
    config.pinnedCertificate = refusal.certificate;
    std::unique_ptr<Registration> trusted(m_manager->createRegistration(config, nullptr));
    const auto form = formOf(*trusted);
    QVERIFY(form);
    QSignalSpy registered(trusted.get(), &Registration::registered);
    const QString name = freshName(QStringLiteral("pinned"));
    trusted->submit(answers(form->form, {{QStringLiteral("username"), name},
                                         {QStringLiteral("password"), QStringLiteral("pinned-pw-7")}}));
    QVERIFY(registered.wait(NetworkTimeout));
    config.jid = name + u'@' + domain;
    {
        Account account(config);
        account.setPassword(QStringLiteral("pinned-pw-7"));
        QVERIFY(goOnline(&account));
        account.disconnectFromServer();
    }

    // Another certificate trusted instead: the self-signed one is refused as changed, with no retry.
    config.pinnedCertificate =
        QSslCertificate::fromPath(directory + QStringLiteral("/rogue.pem")).value(0).toDer();
    Account changed(config);
    changed.setPassword(QStringLiteral("pinned-pw-7"));
    changed.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(changed.state(), ConnectionState::Error, NetworkTimeout);
    QCOMPARE(changed.lastError().code, Error::Code::CertificateChanged);
    QCOMPARE(changed.lastError().certificate, selfSigned.toDer());
    QCOMPARE(changed.nextAttemptIn(), -1);
}

void tst_Registration::aContactInvitationMakesUsContactsAtOnce()
{
    // The inviter has an account on the server that hands out invitations (Prosody's mod_invites_adhoc).
    const auto link = m_server.createInvitation(m_server.invitesDomain);
    QVERIFY(link);
    auto registration = this->registration(m_server.invitesDomain);
    registration->setInvitationToken(Invitation::parse(*link)->token);
    const auto form = formOf(*registration);
    QVERIFY(form);
    QSignalSpy registered(registration.get(), &Registration::registered);
    const QString name = freshName(QStringLiteral("inviter"));
    registration->submit(answers(form->form, {{QStringLiteral("username"), name},
                                              {QStringLiteral("password"), QStringLiteral("pw-6")}}));
    QVERIFY(registered.wait(NetworkTimeout));
    AccountConfig inviterConfig = m_server.accountConfig(QStringLiteral("x"));
    inviterConfig.jid = name + u'@' + m_server.invitesDomain;
    Account inviter(inviterConfig);
    inviter.setPassword(QStringLiteral("pw-6"));
    inviter.setAdditionalCaCertificates(m_server.caCertificates());
    QVERIFY(goOnline(&inviter));

    const auto created =
        waitTask(createContactInvite(inviter.client(), this, m_server.invitesDomain), NetworkTimeout);
    QVERIFY(created);
    QVERIFY2(isOk(*created), qPrintable(errorOf(*created).detail));
    const ContactInvite invite = std::get<ContactInvite>(*created);
    QVERIFY2(invite.uri.contains(u"?roster;preauth="), qPrintable(invite.uri));
    QVERIFY(invite.expires > QDateTime::currentDateTimeUtc());
    const auto invitation = ContactInvitation::parse(invite.uri);
    QVERIFY2(invitation, qPrintable(invite.uri));
    QCOMPARE(invitation->jid, inviter.jid());
    QVERIFY(!invitation->token.isEmpty());

    // Whoever follows the link is approved by the inviter's server, asked back, and approves in turn:
    // both see each other, and neither had a request to answer.
    const auto guest = m_server.registerAccount(QStringLiteral("guest"));
    QVERIFY(guest);
    auto invitee = onlineAccount(m_server, *guest);
    QVERIFY(invitee);
    invitee->subscriptions().requestSubscription(invitation->jid, {}, invitation->token);
    const auto both = [](Account &account, const QString &jid) {
        const auto item = account.roster().item(jid);
        return item && item->subscription == RosterItem::Subscription::Both;
    };
    QTRY_VERIFY_WITH_TIMEOUT(both(*invitee, inviter.jid()), NetworkTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(both(inviter, invitee->jid()), NetworkTimeout);
    QVERIFY(inviter.subscriptions().pendingRequests().isEmpty());
    QVERIFY(invitee->subscriptions().pendingRequests().isEmpty());

    // The link is spent: the next one to use it only asks, as without a link.
    const auto late = m_server.registerAccount(QStringLiteral("late"));
    QVERIFY(late);
    auto latecomer = onlineAccount(m_server, *late);
    QVERIFY(latecomer);
    latecomer->subscriptions().requestSubscription(invitation->jid, {}, invitation->token);
    QTRY_COMPARE_WITH_TIMEOUT(inviter.subscriptions().pendingRequests().size(), 1, NetworkTimeout);
    QCOMPARE(inviter.subscriptions().pendingRequests().first().jid, latecomer->jid());
    QVERIFY(!both(*latecomer, inviter.jid()));
    inviter.disconnectFromServer();
}

void tst_Registration::aChangedPasswordIsTheOnlyOneThatLogsIn()
{
    const auto name = m_server.registerAccount(QStringLiteral("changer"), TestServer::Listing::Unlisted);
    QVERIFY(name);
    const TestAccount user = m_server.account(*name);
    Account *account = addOnlineAccount(*m_manager, m_server, *name);
    QVERIFY(account);

    const QString newPassword = QStringLiteral("the-new-password-7");
    QVERIFY(isOk(waitFor(m_manager->changePassword(account->jid(), newPassword))));
    QCOMPARE(account->password(), newPassword);
    QCOMPARE(login(account->jid(), user.password).code, Error::Code::AuthenticationFailed);
    QVERIFY(!login(account->jid(), newPassword).isError());
    // Kept where the account keeps it: a restart logs in with it.
    const auto stored =
        waitFor(m_manager->credentials().load(account->jid(), account->config().passwordStorage));
    QVERIFY(isOk(stored));
    QCOMPARE(std::get<QString>(stored), newPassword);
    QVERIFY(isOk(waitFor(m_manager->removeAccount(account->jid()))));
}

void tst_Registration::anAccountDeletedOnTheServerIsGoneThereAndHere()
{
    const auto name = m_server.registerAccount(QStringLiteral("leaver"), TestServer::Listing::Unlisted);
    QVERIFY(name);
    const TestAccount user = m_server.account(*name);
    Account *account = addOnlineAccount(*m_manager, m_server, *name);
    QVERIFY(account);
    QSignalSpy removed(m_manager.get(), &AccountManager::accountRemoved);
    // Prosody's file store writes the host's dots as %2e.
    const QString accountFile = m_server.stateDirectory() + QStringLiteral("/data/natter%2etest/accounts/") +
                                *name + QStringLiteral(".dat");
    QVERIFY2(QFile::exists(accountFile), qPrintable(accountFile));

    const auto deleted = waitFor(m_manager->deleteAccountOnServer(user.jid));
    QVERIFY2(isOk(deleted), qPrintable(errorOf(deleted).codeName() + u' ' + errorOf(deleted).detail));
    QCOMPARE(removed.size(), 1);
    QVERIFY(!m_manager->account(user.jid));
    QCOMPARE(login(user.jid, user.password).code, Error::Code::AuthenticationFailed);
    // Prosody's own record of the account is gone.
    QVERIFY2(!QFile::exists(accountFile), qPrintable(accountFile));
}

QTEST_GUILESS_MAIN(tst_Registration)
#include "tst_registration.moc"
